// One webview panel per training job, like the console's job page: it shows the job as
// DescribeTrainingJob reports it, and its metrics as curves (CloudWatch GetMetricData, one line per
// host, read on from the newest point after each read of the job), re-read through the one poller
// while the job is active and the panel visible (a log editor following the same job shares those reads). A failure, or the
// connection going down, shows as a banner with the next step over the last state shown; the
// panel reads the job again by itself once the connection is back.
import * as vscode from 'vscode';
import { TRAINING_JOB_BODY } from '../../webview/trainingJob/markup';
import type { BannerFailure } from '../../webview/shared/bannerProtocol';
import { isPanelMessage, toMetricSeriesView, type HostMessage, type TrainingJobView } from '../../webview/trainingJob/protocol';
import type { Failure } from '../failures/classify';
import { lastTimestamp, mergeSeries, readTrainingMetrics, type MetricSeries } from '../pipeline/trainingMetrics';
import { isActive, type TrainingJobDescription } from '../pipeline/trainingJobs';
import type { PollWatch } from '../polling/poller';
import { everyMs } from '../polling/schedules';
import { trainingJobKey, watchTrainingJob } from '../polling/watches';
import type { Services } from '../services';
import { toTrainingJobView } from './trainingJobView';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** While the job is active; a log editor following the job reads it every tick, and the panel gets those reads too. */
const ACTIVE_JOB = everyMs(5000);
/** An ended job does not change: the watch only delivers reads that something else asks for. */
const ENDED_JOB = () => undefined;

/** What a panel shows: the job as last read, and the banner over it (none when all is well). */
export interface ShownTrainingJob {
  job?: TrainingJobView;
  banner?: BannerFailure;
}

export class TrainingJobPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();
  private readonly shownByJob = new Map<string, ShownTrainingJob>();

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(jobName: string): void {
    const existing = this.open.get(jobName);
    if (existing) {
      existing.reveal();
      return;
    }
    const { connection, failures, poller } = this.services;
    const panel = vscode.window.createWebviewPanel('sagemaker.trainingJob', jobName, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
      script: 'trainingJob.js',
      style: 'trainingJob.css',
      bundledStyles: ['uPlot.min.css'],
      body: TRAINING_JOB_BODY,
    });
    this.open.set(jobName, panel);

    const shown: ShownTrainingJob = {};
    this.shownByJob.set(jobName, shown);
    const post = (message: HostMessage) => {
      if (message.type === 'job') shown.job = message.job;
      else if (message.type === 'banner') shown.banner = message.failure;
      void panel.webview.postMessage(message);
    };
    const banner = (failure: Failure | undefined) => post({ type: 'banner', failure: failure && { title: failure.title, message: failure.message, steps: failure.steps } });
    let active = true;
    let watch: PollWatch | undefined;
    // Every point read so far; each read asks only from the newest one on (its minute may have grown).
    let series: MetricSeries[] = [];
    // One read at a time; the latest request waits for it. A read overtaken by a reset (the page
    // reloaded) is read again from the start.
    type MetricsRead = { job: TrainingJobDescription; live: boolean };
    let wanted: MetricsRead | undefined;
    let readingMetrics = false;
    const readMetrics = async (job: TrainingJobDescription, live: boolean) => {
      wanted = { job, live };
      if (readingMetrics) return;
      readingMetrics = true;
      try {
        while (wanted) {
          const request: MetricsRead = wanted;
          wanted = undefined;
          const base = series;
          try {
            const fresh = await readTrainingMetrics(await connection.clients.cloudWatch(), request.job, lastTimestamp(base));
            if (series !== base) {
              wanted ??= request;
              continue;
            }
            series = mergeSeries(base, fresh);
            post({ type: 'metrics', series: series.map(toMetricSeriesView), live: request.live });
          } catch (error) {
            post({ type: 'metrics', series: series.map(toMetricSeriesView), live: request.live, message: failures.classify(error, { doing: `read the metrics of ${jobName}` }).message });
          }
        }
      } finally {
        readingMetrics = false;
      }
    };
    const follow = () => {
      watch ??= watchTrainingJob(this.services, jobName, (outcome) => {
        if ('error' in outcome) {
          banner(failures.connectionFailure(`read training job ${jobName}`) ?? failures.classify(outcome.error, { doing: `read training job ${jobName}` }));
          return;
        }
        banner(undefined);
        post({ type: 'job', job: toTrainingJobView(outcome.value) });
        const status = outcome.value.TrainingJobStatus;
        const nowActive = status !== undefined && isActive(status);
        void readMetrics(outcome.value, nowActive);
        if (nowActive !== active) watch?.reschedule(nowActive ? ACTIVE_JOB : ENDED_JOB);
        active = nowActive;
      }, active ? ACTIVE_JOB : ENDED_JOB);
    };
    const unfollow = () => {
      watch?.dispose();
      watch = undefined;
    };
    const update = () => {
      const down = failures.connectionFailure(`read training job ${jobName}`);
      if (down) {
        banner(down);
        return;
      }
      follow();
      void poller.refresh(trainingJobKey(jobName));
    };
    const subscriptions = [
      // The panel asks once its script runs (ready) and when the user clicks Refresh.
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isPanelMessage(message)) return;
        // A (re)loaded page has no charts: every point is sent again with the next read.
        if (message.type === 'ready') series = [];
        if (message.type === 'step') {
          void failures.run(message.step, connection.failure === undefined ? {} : failures.classify(connection.failure), update);
        } else {
          update();
        }
      }),
      panel.onDidChangeViewState(({ webviewPanel }) => (webviewPanel.visible ? update() : unfollow())),
      connection.onDidChangeState((state) => {
        if (!panel.visible) return;
        if (state === 'connected') update(); // back: read it again at once
        else banner(failures.connectionFailure(`read training job ${jobName}`));
      }),
    ];
    panel.onDidDispose(() => {
      unfollow();
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(jobName);
      this.shownByJob.delete(jobName);
    });
  }

  /** What the open panel of `jobName` shows, if one is open. */
  shown(jobName: string): ShownTrainingJob | undefined {
    return this.shownByJob.get(jobName);
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
