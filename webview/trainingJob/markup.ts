// The training job page's markup, which main.ts fills in: a banner for failures, then the job.
export const TRAINING_JOB_BODY = '<div id="banner" class="banner" hidden></div><div id="root"><p>Loading…</p></div>';
