// `npm start`: the emulator with the demo, and a real VS Code (code-server) with the freshly built
// extension installed and connected to it. State lives in .workbench/ so it survives restarts
// (WORKBENCH_STATE_DIR puts it elsewhere: bench:start starts each round fresh). A line per step says
// what it is waiting on. Ctrl-C stops everything: each service runs in its own process group.
//
// The URL should be there within 2× of a bare code-server start (bench:start), so the extension is
// unpacked from the .vsix (`unzip`, as VS Code lays out an install) instead of running a second
// code-server process to install it; the emulator and code-server start side by side while the
// demo's SDK clients load; and the demo is seeded once VS Code is up, so its training job does not
// share the two cores with code-server's start.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './codeServer';
import { startEmulatorProcess } from './emulatorProcess';
import { REPO_ROOT, VSIX_PATH } from './paths';
import { freePort } from './processes';

const STATE_DIR = process.env.WORKBENCH_STATE_DIR ?? path.join(REPO_ROOT, '.workbench');

// The SDK's notice that releases after January 2027 need Node 22 is not for `npm start` users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  // The emulator's address is settled first, so VS Code's settings can name it while both start.
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4590) || (await freePort());
  const vscodePort = Number(process.env.PORT ?? 8080) || (await freePort());
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const dataDir = path.join(STATE_DIR, 'emulator-data');
  console.log(`unpacking the extension from ${path.relative(REPO_ROOT, VSIX_PATH)}…`);
  const unpacked = path.join(STATE_DIR, 'vsix');
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked, { recursive: true }); // unzip makes only the last folder of the path (a fresh clone has no .workbench)
  execFileSync('unzip', ['-q', VSIX_PATH, 'extension/*', '-d', unpacked]);
  // Both processes are spawned before anything else is loaded, and start side by side.
  console.log(`starting VS Code (code-server) with the extension on 127.0.0.1:${vscodePort}, and the emulator on 127.0.0.1:${emulatorPort}…`);
  const vscode = startCodeServer({
    unpacked: [path.join(unpacked, 'extension')],
    port: vscodePort,
    root: path.join(STATE_DIR, 'vscode'),
    // code-server reads PORT too: it must say the port it is given.
    env: { PORT: String(vscodePort) },
    settings: {
      'sagemaker.connection.mode': 'emulator',
      'sagemaker.emulator.url': emulatorUrl,
      // The window's Start / Stop / Restart Local Emulator act on this emulator: same port, same data.
      'sagemaker.emulator.dataDir': dataDir,
      'sagemaker.emulator.autoStart': false,
    },
  });
  const starting = startEmulatorProcess({ port: emulatorPort, dataDir }).catch((error: Error) => {
    throw new Error(`${error.message}\nIs another emulator running? Set EMULATOR_PORT to use another port.`);
  });
  // The demo's SDK clients load while the two processes start, and its dataset goes in as soon as
  // the emulator answers; its training job waits for VS Code (it would share the cores with it).
  const { DEMO, deployDemoModel, seedDemoDataset, startDemoTraining } = await import('./demo');
  const seeding = starting.then(async (started) => {
    console.log('seeding the demo dataset…');
    return seedDemoDataset(started.url);
  });
  seeding.catch(() => undefined); // awaited below once both have started
  const [emulatorStart, vscodeStart] = await Promise.allSettled([starting, vscode]);
  if (emulatorStart.status === 'rejected' || vscodeStart.status === 'rejected') {
    await Promise.allSettled([emulatorStart, vscodeStart].flatMap((started) => (started.status === 'fulfilled' ? [started.value.stop()] : [])));
    throw (emulatorStart.status === 'rejected' ? emulatorStart.reason : (vscodeStart as PromiseRejectedResult).reason) as Error;
  }
  const emulator = emulatorStart.value;
  const codeServer = vscodeStart.value;
  const workspace = path.join(STATE_DIR, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    path.join(workspace, 'README.md'),
    `# SageMaker LLM Workbench demo\n\nOpen the SageMaker view in the activity bar: the dataset \`s3://${DEMO.bucket}/${DEMO.trainPrefix}\` and the training job \`${DEMO.trainingJob}\` come from the local emulator at ${emulator.url}. Once the job has trained, its model serves as the endpoint \`${DEMO.endpoint}\`.\n`,
  );
  if (await seeding) {
    console.log("starting the demo's training job of the built-in GPT…");
    await startDemoTraining(emulator.url);
  }
  // In the background: the endpoint appears once the demo job has trained (about a minute).
  deployDemoModel(emulator.url).then(
    () => console.log(`demo endpoint ${DEMO.endpoint} deployed`),
    (error: Error) => console.error(`the demo endpoint was not deployed: ${error.message}`),
  );
  console.log(`emulator: ${emulator.url} (data in ${emulator.dataDir})`);
  console.log(`VS Code:  ${codeServer.folderUrl(workspace)}`);
  console.log('Open the VS Code URL in a browser. Ctrl-C stops everything.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await Promise.allSettled([codeServer.stop(), emulator.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
