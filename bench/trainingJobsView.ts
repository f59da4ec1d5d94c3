// `npm run bench:views`: with 10,000 training jobs in the emulator, the time from clicking the
// collapsed Training Jobs view's header to its first page of jobs drawn, in the real editor
// (code-server in Chromium, the extension loaded from this checkout), beside the raw ListTrainingJobs
// call for that page through the SDK, measured in the same run. Issue 11's figure: ≤ 300 ms.
//
// The jobs are seeded through the emulator's store (bench/seedTrainingJobs.ts), not 10,000 processes.
// Each round opens a fresh window (a page reload: a new extension host), waits until the extension is
// active and the Datasets view drawn, then clicks the Training Jobs header and times until a job's row
// is in the DOM, checked on every animation frame (Playwright's round trips are inside the time: it
// errs long).
//
// Where the time goes: the extension reaches the emulator through a pass-through proxy in this process
// (timingProxy below), so the click, the ListTrainingJobs request's arrival, the emulator's answer and
// the row drawn are on one clock. Each round prints: click → request (the workbench's onView
// activation and the view's getChildren call reaching the extension host, the SDK building and
// signing the request), the emulator's ListTrainingJobs (answer's last byte, through the proxy),
// answer → row drawn (the SDK's parse, the tree's items, the extension host → workbench hop and the
// render); the first table's SDK column is the same call from this process (request, answer, parse),
// so what the extension host adds to the call shows beside it.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTrainingJobsCommand } from '@aws-sdk/client-sagemaker';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { sagemakerClient, TEST_CREDENTIALS } from '../harness/emulatorClients';
import { launchChromium, screenshot } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { REPO_ROOT } from '../harness/paths';
import { seedCompletedTrainingJobs } from './seedTrainingJobs';
import { median } from './stats';

const JOBS = 10_000;
const ROUNDS = 3;
const BUDGET_MS = 300;
const BUCKET = 'bench-views';
const NEWEST = `bench-job-${String(JOBS - 1).padStart(5, '0')}`;
/** Any seeded job's row: the list shows only the rows in sight (it may keep a scroll position), not always the newest. */
const ANY_JOB = /bench-job-\d{5}/;

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-views-'));
  const dataDir = path.join(root, 'data');
  const seedStarted = performance.now();
  await seedCompletedTrainingJobs(dataDir, JOBS);
  const seedMs = performance.now() - seedStarted;
  const emulator = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
  const s3 = new S3Client({ endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  const sageMaker = sagemakerClient(emulator.url);
  const proxy = await timingProxy(emulator.url);
  const workspace = path.join(root, 'workspace');
  const codeServer = await startCodeServer({
    settings: { 'sagemaker.emulator.url': proxy.url, 'sagemaker.emulator.autoStart': false },
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const rows: { round: number; viewMs: number; sdkMs: number; toRequestMs?: number; emulatorMs?: number; afterAnswerMs?: number; requests: string }[] = [];
  try {
    mkdirSync(workspace);
    const url = codeServer.folderUrl(workspace, [['extensionDevelopmentPath', codeServer.remoteUri(REPO_ROOT)]]);
    await page.goto(url, { waitUntil: 'commit' });
    await openContainer(page);
    // The view starts expanded: collapse it once (the workbench remembers that across reloads).
    await page.getByRole('treeitem', { name: new RegExp(NEWEST) }).waitFor({ timeout: 120_000 });
    await paneHeader(page).click();
    await page.getByRole('treeitem', { name: ANY_JOB }).first().waitFor({ state: 'detached', timeout: 10_000 });
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round times the view's first expansion in a fresh window (a new extension host, the view's
      // tree not made yet). The workbench saves the view's collapsed state a moment after the click:
      // if the reload came first, the window opens with the view expanded (its tree made and filled),
      // which would time a second expansion; so it is collapsed again and the window reloaded until it
      // opens collapsed.
      for (let attempt = 1; ; attempt++) {
        await page.reload({ waitUntil: 'commit' });
        await openContainer(page);
        await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 120_000 });
        if ((await paneHeader(page).getAttribute('aria-expanded')) === 'false') break;
        if (attempt === 5) throw new Error(`the Training Jobs view opened expanded after ${attempt} reloads`);
        await paneHeader(page).click();
        await page.getByRole('treeitem', { name: ANY_JOB }).first().waitFor({ state: 'detached', timeout: 10_000 });
      }
      // The click goes straight to the header's place (no actionability waits inside the timing); the
      // page is then checked on every animation frame for a row of a seeded job.
      const box = (await paneHeader(page).boundingBox())!;
      proxy.exchanges.length = 0;
      const clicked = performance.now();
      await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
      await page.waitForFunction(rowDrawn, 'bench-job-', { polling: 'raf', timeout: 60_000 });
      const drawn = performance.now();
      const viewMs = drawn - clicked;
      // The view's first read: the first ListTrainingJobs after the click.
      const list = proxy.exchanges.find((exchange) => exchange.target.endsWith('.ListTrainingJobs') && exchange.requested >= clicked);
      const sdkStarted = performance.now();
      const listed = await sageMaker.send(new ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 50 }));
      const sdkMs = performance.now() - sdkStarted;
      if (listed.TrainingJobSummaries?.[0]?.TrainingJobName !== NEWEST) throw new Error(`ListTrainingJobs did not list ${NEWEST} first`);
      rows.push({
        round,
        viewMs,
        sdkMs,
        toRequestMs: list && list.requested - clicked,
        emulatorMs: list?.answered !== undefined ? list.answered - list.requested : undefined,
        afterAnswerMs: list?.answered !== undefined ? drawn - list.answered : undefined,
        requests: proxy.exchanges
          .filter((exchange) => exchange.requested >= clicked && exchange.requested <= drawn)
          .map((exchange) => `${exchange.target.replace(/^SageMaker\./, '')} at +${(exchange.requested - clicked).toFixed(0)} ms`)
          .join(', '),
      });
      await screenshot(page, `bench-views-round-${round}`);
      await paneHeader(page).click();
      await page.getByRole('treeitem', { name: ANY_JOB }).first().waitFor({ state: 'detached', timeout: 10_000 });
    }
  } catch (error) {
    const file = await screenshot(page, 'bench-views-failure').catch(() => 'none');
    throw new Error(`${(error as Error).message}\nscreenshot: ${file}\ncode-server:\n${codeServer.log().slice(-2000)}`);
  } finally {
    sageMaker.destroy();
    proxy.server.close();
    await browser.close();
    await codeServer.stop();
    await emulator.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const view = median(rows.map((row) => row.viewMs));
  const sdk = median(rows.map((row) => row.sdkMs));
  const worst = Math.max(...rows.map((row) => row.viewMs));
  console.log(`Training Jobs view with ${JOBS} jobs in the emulator (seeded in ${(seedMs / 1000).toFixed(1)} s); load average ${loadavg()[0].toFixed(1)}`);
  console.log('| round | click → first page drawn (code-server) | ListTrainingJobs, 50 jobs (SDK) | view ÷ budget |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.round} | ${row.viewMs.toFixed(0)} ms | ${row.sdkMs.toFixed(0)} ms | ${(row.viewMs / BUDGET_MS).toFixed(2)} |`);
  console.log(`| median (worst ${worst.toFixed(0)} ms) | **${view.toFixed(0)} ms** | ${sdk.toFixed(0)} ms | ${(view / BUDGET_MS).toFixed(2)} (budget ≤ ${BUDGET_MS} ms: ${view <= BUDGET_MS ? 'met' : 'NOT met'}) |`);
  const ms = (value: number | undefined) => (value === undefined ? 'not seen' : `${value.toFixed(0)} ms`);
  console.log('\nWhere a round\'s time went (one clock: this process, the proxy between the extension and the emulator):');
  console.log('| round | click → ListTrainingJobs reaches the emulator | emulator answers (through the proxy) | answer → row drawn (SDK parse, tree items, host → workbench, render) | requests from click to row drawn |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.round} | ${ms(row.toRequestMs)} | ${ms(row.emulatorMs)} | ${ms(row.afterAnswerMs)} | ${row.requests} |`);
  const defined = (values: (number | undefined)[]) => values.filter((value): value is number => value !== undefined);
  const part = (values: (number | undefined)[]) => (defined(values).length > 0 ? `${median(defined(values)).toFixed(0)} ms` : 'not seen');
  console.log(
    `| median | ${part(rows.map((row) => row.toRequestMs))} | ${part(rows.map((row) => row.emulatorMs))} | ${part(rows.map((row) => row.afterAnswerMs))} | |`,
  );
  if (view > BUDGET_MS) process.exitCode = 1;
}

interface Exchange {
  /** X-Amz-Target (JSON protocols) or method and path. */
  target: string;
  requested: number;
  answered?: number;
}

/**
 * A pass-through HTTP proxy to the emulator that notes when each request arrived and when its answer's
 * last byte was sent on (performance.now() of this process: the same clock as the click).
 */
async function timingProxy(upstream: string): Promise<{ url: string; server: Server; exchanges: Exchange[] }> {
  const target = new URL(upstream);
  const exchanges: Exchange[] = [];
  const server = createServer((request, response) => {
    const exchange: Exchange = { target: String(request.headers['x-amz-target'] ?? `${request.method} ${request.url}`), requested: performance.now() };
    exchanges.push(exchange);
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', () => (exchange.answered = performance.now()));
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, exchanges };
}

async function openContainer(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const icon = page.locator('.part.activitybar a.action-label[aria-label^="SageMaker"]');
  await icon.waitFor({ timeout: 60_000 });
  // The container may already be open (the workbench remembers it, and draws it a moment after the
  // activity bar): clicking its icon then would close it, so the icon is clicked only if it stays shut.
  const header = page.locator('.pane-header', { hasText: 'Training Jobs' }).first();
  await header.waitFor({ timeout: 15_000 }).catch(() => icon.click());
  await header.waitFor({ timeout: 30_000 });
}

function paneHeader(page: Page) {
  return page.locator('.pane-header', { hasText: 'Training Jobs' }).first();
}

/** Runs in the page: whether a tree row with `job` in its label is in the DOM. */
function rowDrawn(job: string): boolean {
  return Array.from(document.querySelectorAll('.monaco-list-row[role="treeitem"]')).some((row) => (row.getAttribute('aria-label') ?? '').includes(job) || (row.textContent ?? '').includes(job));
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
