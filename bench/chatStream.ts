// `npm run bench:chat-stream`: the chat webview (the bundled dist/webview/chat.js with the chat's own
// markup and stylesheet, in Debian's Chromium) fed a streamed answer of markdown with code at 2,000
// tokens/s for 60 s, as the host posts it (one `delta` message per token). Measured in the page: the
// gaps between animation frames (p99 and longest) and the JS heap after a collection, at 10 s and at
// the end. Side by side in the same run: the same page rendering the whole growing answer every
// frame (data-render-mode="whole", what the panel did before incremental rendering), as the baseline.
// The figures: longest frame gap ≤ 100 ms (this bench reports p99 beside it), memory flat
// within 20 MB. CHAT_STREAM_SECONDS shortens the run while working on it. Where the page's main
// thread spends the run is printed beside (Chromium's Performance metrics: script, style, layout,
// all tasks, in seconds over the run); CHAT_STREAM_PROFILE=1 adds the incremental page's ten
// functions of most self time (a CDP CPU profile).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { CHAT_BODY } from '../webview/chat/markup';
import { launchChromium } from '../harness/browser';
import { REPO_ROOT } from '../harness/paths';

const SECONDS = Number(process.env.CHAT_STREAM_SECONDS ?? 60);
const TOKENS_PER_SECOND = 2000;
const BUDGET_GAP_MS = 100;
const BUDGET_HEAP_MB = 20;

/** An answer as LLMs write them: prose, a list, a fenced code block; cut into ~4-character tokens. */
const ANSWER_UNIT = [
  'Here is how to **stream** a response from a SageMaker endpoint and print each token as it arrives.\n\n',
  '1. Create the runtime client.\n2. Call `invoke_endpoint_with_response_stream`.\n3. Read the event stream.\n\n',
  '```python\nimport boto3\n\nruntime = boto3.client("sagemaker-runtime")\nresponse = runtime.invoke_endpoint_with_response_stream(\n    EndpointName="tiny-gpt-chat",\n    Body=b\'{"inputs": "Hello", "stream": true}\',\n)\nfor event in response["Body"]:\n    print(event["PayloadPart"]["Bytes"].decode(), end="")\n```\n\n',
  'The loop ends when the model stops; a `ModelStreamError` means the container failed mid-answer.\n\n',
].join('');
const TOKENS = ANSWER_UNIT.match(/[\s\S]{1,4}/g)!;

interface Figures {
  /** Seconds of the page's main thread over the run: ScriptDuration, RecalcStyleDuration, LayoutDuration, TaskDuration. */
  mainThread: { script: number; style: number; layout: number; tasks: number };
  /** The functions of most self time, when profiled. */
  hottest?: string[];
  frames: number;
  p99GapMs: number;
  longestGapMs: number;
  tokens: number;
  heapAt10sMb: number;
  heapAtEndMb: number;
}

/** The page: the panel's markup and stylesheet, its script, and a stand-in for VS Code's API. */
function writePage(folder: string, mode: 'incremental' | 'whole'): string {
  copyFileSync(path.join(REPO_ROOT, 'dist', 'webview', 'chat.js'), path.join(folder, 'chat.js'));
  copyFileSync(path.join(REPO_ROOT, 'media', 'chat.css'), path.join(folder, 'chat.css'));
  writeFileSync(path.join(folder, 'api.js'), 'window.acquireVsCodeApi = () => ({ postMessage() {}, setState() {}, getState() { return undefined; } });');
  const file = path.join(folder, `${mode}.html`);
  writeFileSync(
    file,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="chat.css"></head><body data-render-mode="${mode}">${CHAT_BODY}<script src="api.js"></script><script src="chat.js"></script></body></html>`,
  );
  return file;
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function mainThreadSeconds(page: Page): Promise<Figures['mainThread']> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return { script: value('ScriptDuration'), style: value('RecalcStyleDuration'), layout: value('LayoutDuration'), tasks: value('TaskDuration') };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The ten functions of most self time in a CPU profile, with their milliseconds. */
function hottest(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): string[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, index) => {
    const frame = byNode.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, ms]) => `${ms.toFixed(0)} ms ${name}`);
}

async function measure(page: Page, profile: boolean): Promise<Figures> {
  const before = await mainThreadSeconds(page);
  const profiler = profile ? await page.context().newCDPSession(page) : undefined;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.start');
  }
  // One streaming answer, then deltas at the rate, each token its own message (as the host posts
  // one per PayloadPart); owed tokens are computed from the clock, so a late timer catches up.
  await page.evaluate(
    ({ tokens, rate }) => {
      const post = (data: unknown) => window.postMessage(data, '*');
      post({ type: 'state', endpoint: 'bench', title: 'bench', turns: [{ id: 1, role: 'user', text: 'stream' }, { id: 2, role: 'assistant', text: '', format: 'messages', state: 'streaming' }], parameters: { format: 'messages', maxNewTokens: 4096, temperature: 0.7, topP: 0.9 }, presets: [], busy: true });
      const bench = { gaps: [] as number[], sent: 0, last: performance.now(), started: performance.now(), stop: false };
      (window as unknown as { bench: typeof bench }).bench = bench;
      const frame = (now: number) => {
        bench.gaps.push(now - bench.last);
        bench.last = now;
        if (!bench.stop) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const timer = setInterval(() => {
        if (bench.stop) return clearInterval(timer);
        const owed = Math.floor(((performance.now() - bench.started) * rate) / 1000);
        for (; bench.sent < owed; bench.sent++) post({ type: 'delta', id: 2, text: tokens[bench.sent % tokens.length] });
      }, 5);
    },
    { tokens: TOKENS, rate: TOKENS_PER_SECOND },
  );
  await page.waitForTimeout(Math.min(10, SECONDS / 2) * 1000);
  const heapAt10sMb = await heapMb(page);
  await page.waitForTimeout((SECONDS - Math.min(10, SECONDS / 2)) * 1000);
  const { gaps, sent } = await page.evaluate(() => {
    const bench = (window as unknown as { bench: { gaps: number[]; sent: number; stop: boolean } }).bench;
    bench.stop = true;
    return { gaps: bench.gaps.slice(1), sent: bench.sent };
  });
  const after = await mainThreadSeconds(page);
  const profiled = profiler ? ((await profiler.send('Profiler.stop')) as { profile: Parameters<typeof hottest>[0] }).profile : undefined;
  await profiler?.detach();
  const heapAtEndMb = await heapMb(page);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    mainThread: { script: after.script - before.script, style: after.style - before.style, layout: after.layout - before.layout, tasks: after.tasks - before.tasks },
    ...(profiled ? { hottest: hottest(profiled) } : {}),
    frames: gaps.length,
    p99GapMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
    longestGapMs: sorted[sorted.length - 1],
    tokens: sent,
    heapAt10sMb,
    heapAtEndMb,
  };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'chat-stream-bench-'));
  const browser = await launchChromium();
  const results: Record<string, Figures> = {};
  try {
    for (const mode of ['incremental', 'whole'] as const) {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.goto(`file://${writePage(folder, mode)}`);
      await page.waitForSelector('#transcript');
      console.error(`${mode}: streaming for ${SECONDS} s…`);
      results[mode] = await measure(page, mode === 'incremental' && process.env.CHAT_STREAM_PROFILE === '1');
      console.error(`${mode}: ${JSON.stringify(results[mode])}`);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
  const { incremental, whole } = results;
  const rows = [
    ['figure', 'incremental (the panel)', 'whole answer per frame (before)', 'ratio', 'budget', 'pass'],
    ['p99 frame gap', `${incremental.p99GapMs.toFixed(1)} ms`, `${whole.p99GapMs.toFixed(1)} ms`, (whole.p99GapMs / incremental.p99GapMs).toFixed(1), `≤ ${BUDGET_GAP_MS} ms`, String(incremental.p99GapMs <= BUDGET_GAP_MS)],
    ['longest frame gap', `${incremental.longestGapMs.toFixed(1)} ms`, `${whole.longestGapMs.toFixed(1)} ms`, (whole.longestGapMs / incremental.longestGapMs).toFixed(1), `≤ ${BUDGET_GAP_MS} ms`, String(incremental.longestGapMs <= BUDGET_GAP_MS)],
    ...(['script', 'style', 'layout', 'tasks'] as const).map((part) => [
      `main thread: ${part === 'tasks' ? 'all tasks' : part}`,
      `${incremental.mainThread[part].toFixed(1)} s`,
      `${whole.mainThread[part].toFixed(1)} s`,
      (whole.mainThread[part] / incremental.mainThread[part]).toFixed(1),
      `of ${SECONDS} s`,
      '',
    ]),
    ['frames', String(incremental.frames), String(whole.frames), (incremental.frames / whole.frames).toFixed(1), '', ''],
    ['tokens streamed', String(incremental.tokens), String(whole.tokens), '', `${TOKENS_PER_SECOND}/s × ${SECONDS} s`, ''],
    [
      'JS heap 10 s → end',
      `${incremental.heapAt10sMb.toFixed(1)} → ${incremental.heapAtEndMb.toFixed(1)} MB`,
      `${whole.heapAt10sMb.toFixed(1)} → ${whole.heapAtEndMb.toFixed(1)} MB`,
      '',
      `growth ≤ ${BUDGET_HEAP_MB} MB`,
      String(incremental.heapAtEndMb - incremental.heapAt10sMb <= BUDGET_HEAP_MB),
    ],
  ];
  console.log(`Chat webview streaming ${TOKENS_PER_SECOND} tokens/s of markdown with code for ${SECONDS} s (Chromium)`);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join(' | '));
  if (incremental.hottest) console.log(`Most self time (incremental page):\n  ${incremental.hottest.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
