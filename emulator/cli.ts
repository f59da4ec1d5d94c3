// `sagemaker-emulator`: runs the emulator until SIGTERM/SIGINT.
//   --port N       port to listen on (0 picks a free one; default 4590)
//   --host H       interface to listen on (default 127.0.0.1; off loopback needs --verify-signatures or --insecure-bind)
//   --allow-host NAME[,NAME]   more names clients reach it by (loopback ones are always answered)
//   --allow-origin ORIGIN[,ORIGIN]   web origins whose pages may call it
//   --data-dir D   where state lives (default ./.emulator-data)
//   --verify-signatures with --credentials-file F, or --access-key-id K --secret-access-key S
//   --images FILE  the image → command map for training jobs (default <data-dir>/images.json)
//   --max-concurrent-jobs N
//   --autoscaling-period SECONDS   target tracking's metric period (default 60, as AWS)
//   --no-host-sandbox  hosts run as plain processes, not in a mount namespace of their own
// `sagemaker-emulator fault list|add|remove …` injects faults into a running emulator (faultCli.ts).
// Prints `listening on http://HOST:PORT` on stdout once it accepts requests. Its log also goes to
// DIR/emulator.log (the previous run's to emulator.log.1 once it passes 10 MB), so that whoever did
// not start it — a VS Code window, for one — can follow it.
import { mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCredentialsFile } from './auth/credentialsFile';
import type { LocalCredentials } from './auth/signatureV4';
import { FAULT_HELP, FAULT_USAGE, faultCommand } from './faultCli';
import { type RunningEmulator, startEmulator } from './server';

const USAGE = `usage: sagemaker-emulator [--port N] [--host H [--insecure-bind]] [--allow-host NAME]... [--allow-origin ORIGIN]...
                          [--data-dir DIR]
                          [--verify-signatures (--credentials-file FILE | --access-key-id ID --secret-access-key KEY)]
                          [--images FILE] [--max-concurrent-jobs N] [--autoscaling-period SECONDS]
                          [--no-host-sandbox]
${FAULT_USAGE}

Runs a local emulator of SageMaker, SageMaker Runtime, S3, CloudWatch Logs, CloudWatch
metrics and Application Auto Scaling; training, processing and transform jobs and endpoints
really run.

  --port N                 port to listen on; 0 picks a free one (default 4590)
  --host H                 interface to listen on (default 127.0.0.1). Anyone who reaches the
                           emulator can run commands as you, so an address off this machine's
                           loopback needs --verify-signatures, or --insecure-bind
  --insecure-bind          listen off loopback without --verify-signatures (warns at every start)
  --allow-host NAME        also answer requests addressed to NAME (a host name or address, as
                           clients write it in their URLs; repeat or separate with commas).
                           Loopback names and addresses, and --host, are always answered
  --allow-origin ORIGIN    let web pages from ORIGIN (e.g. http://localhost:3000) call the
                           emulator, with CORS headers; other pages are refused (repeatable)
  --data-dir DIR           where state is kept across restarts (default ./.emulator-data)
  --verify-signatures      refuse requests that are not SigV4-signed with these credentials
                           (the /_emulator/ controls too):
  --credentials-file FILE    an AWS credentials file; every profile's keys are accepted
  --access-key-id ID         the access key id, with
  --secret-access-key KEY    its secret (other local users can see it in the process list;
                             prefer --credentials-file)
  --images FILE            training images → local commands (default DIR/images.json; see README)
  --max-concurrent-jobs N  jobs beyond N wait for capacity (default 2; 0 runs none: API only)
  --autoscaling-period S   how often target tracking policies look at their metric (default 60,
                           as AWS; scaling out takes 3 periods above target, in 15 below)
  --no-host-sandbox        run job hosts and endpoint instances as plain processes rather than
                           each in a mount namespace (bubblewrap) where its folder is /opt/ml
                           and algo-1…N resolve: scripts then find their folders only through
                           SM_* variables (the fallback where bubblewrap is missing)
  --help                   show this help

${FAULT_HELP}
`;

interface Settings {
  host: string;
  port: number;
  dataDir: string;
  allowHosts: string[];
  allowOrigins: string[];
  insecureBind: boolean;
  imagesFile?: string;
  maxConcurrentJobs?: number;
  autoscalingPeriodSeconds?: number;
  hostSandbox: boolean;
  /** With --verify-signatures: the accepted credentials, or the file to read them from. */
  verifySignatures?: { credentials: LocalCredentials } | { credentialsFile: string };
}

function parseSettings(args: string[]): Settings | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4590' },
      host: { type: 'string', default: '127.0.0.1' },
      'insecure-bind': { type: 'boolean', default: false },
      'allow-host': { type: 'string', multiple: true, default: [] },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      'data-dir': { type: 'string', default: './.emulator-data' },
      'verify-signatures': { type: 'boolean', default: false },
      'credentials-file': { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      images: { type: 'string' },
      'max-concurrent-jobs': { type: 'string' },
      'autoscaling-period': { type: 'string' },
      'no-host-sandbox': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const maxJobs = values['max-concurrent-jobs'];
  if (maxJobs !== undefined && !/^\d+$/.test(maxJobs)) throw new Error(`--max-concurrent-jobs must be a number (0: accept jobs, run none), not "${maxJobs}"`);
  const period = values['autoscaling-period'];
  if (period !== undefined && !(/^\d+(\.\d+)?$/.test(period) && Number(period) > 0)) throw new Error(`--autoscaling-period must be a number of seconds above 0, not "${period}"`);
  const allowOrigins = commaSeparated(values['allow-origin']);
  for (const origin of allowOrigins) {
    if (!/^https?:\/\/[^/?#]+$/i.test(origin)) throw new Error(`--allow-origin takes a web origin such as http://localhost:3000 (scheme, host and port only), not "${origin}"`);
  }
  return {
    host: values.host,
    port,
    dataDir: values['data-dir'],
    allowHosts: commaSeparated(values['allow-host']),
    allowOrigins,
    insecureBind: values['insecure-bind'],
    verifySignatures: signatureSettings(values),
    imagesFile: values.images,
    maxConcurrentJobs: maxJobs === undefined ? undefined : Number(maxJobs),
    autoscalingPeriodSeconds: period === undefined ? undefined : Number(period),
    hostSandbox: !values['no-host-sandbox'],
  };
}

/** `--flag a,b --flag c` → ['a', 'b', 'c']. */
function commaSeparated(values: string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

function signatureSettings(values: {
  'verify-signatures': boolean;
  'credentials-file'?: string;
  'access-key-id'?: string;
  'secret-access-key'?: string;
}): Settings['verifySignatures'] {
  const { 'credentials-file': credentialsFile, 'access-key-id': accessKeyId, 'secret-access-key': secretAccessKey } = values;
  const given = credentialsFile !== undefined || accessKeyId !== undefined || secretAccessKey !== undefined;
  if (!values['verify-signatures']) {
    if (given) throw new Error('--credentials-file, --access-key-id and --secret-access-key only apply with --verify-signatures');
    return undefined;
  }
  if (credentialsFile !== undefined && accessKeyId === undefined && secretAccessKey === undefined) return { credentialsFile };
  if (credentialsFile === undefined && accessKeyId && secretAccessKey) return { credentials: { accessKeyId, secretAccessKey } };
  throw new Error('--verify-signatures needs either --credentials-file, or both --access-key-id and --secret-access-key');
}

/** The log file's descriptor, once the data folder is known. */
let logFile: number | undefined;
const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** A line to the log file, timestamped; written at once, so that nothing is lost when the process exits. */
function toLogFile(line: string): void {
  if (logFile === undefined) return;
  try {
    writeSync(logFile, `${new Date().toISOString()} ${line}\n`);
  } catch {
    logFile = undefined; // a full or vanished disk: the log on stderr is enough
  }
}

const log = (line: string) => {
  process.stderr.write(`${line}\n`);
  toLogFile(line);
};

function openLogFile(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'emulator.log');
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
    logFile = openSync(file, 'a');
  } catch {
    logFile = undefined;
  }
}

/** The settings, or exit: 0 after --help, 2 after a usage error. */
function settingsOrExit(args: string[]): Settings {
  let settings: Settings | 'help';
  try {
    settings = parseSettings(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (settings === 'help') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  return settings;
}

async function startOrExit(settings: Settings, onShutdownRequest: () => void): Promise<RunningEmulator> {
  const { host, port, dataDir, allowHosts, allowOrigins, insecureBind, verifySignatures, imagesFile, maxConcurrentJobs, autoscalingPeriodSeconds, hostSandbox } = settings;
  openLogFile(dataDir);
  try {
    const credentials =
      verifySignatures && ('credentialsFile' in verifySignatures ? await loadCredentialsFile(verifySignatures.credentialsFile) : [verifySignatures.credentials]);
    return await startEmulator({ host, port, dataDir, allowHosts, allowOrigins, insecureBind, verifySignatures: credentials, runtime: {
        imagesFile,
        maxConcurrentJobs,
        hostSandbox,
        autoscaling: autoscalingPeriodSeconds === undefined ? undefined : { evaluationMs: autoscalingPeriodSeconds * 1000 },
      },
      log,
      onShutdownRequest,
    });
  } catch (error) {
    const portInUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    log(portInUse ? `port ${settings.port} is already in use; pick another with --port` : `cannot start the emulator: ${(error as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'fault') return faultCommand(process.argv.slice(3), USAGE);
  let stopping = false;
  const settings = settingsOrExit(process.argv.slice(2));
  // POST /_emulator/shutdown stops it as SIGTERM does.
  const emulator = await startOrExit(settings, () => stop());
  const stop = () => {
    if (stopping) return;
    stopping = true;
    toLogFile('stopping');
    // Closing finishes in-flight requests and flushes the store; a second signal does not cut it short.
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only now: whoever waits for this line may signal us right after.
  process.stdout.write(`listening on ${emulator.url}\n`);
  toLogFile(`listening on ${emulator.url} (pid ${process.pid}, data in ${resolve(settings.dataDir)})`);
}

void main();
