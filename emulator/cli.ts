// `sagemaker-emulator`: runs the emulator until SIGTERM/SIGINT.
//   --port N       port to listen on (0 picks a free one; default 4590)
//   --host H       interface to listen on (default 127.0.0.1)
//   --data-dir D   where state lives (default ./.emulator-data)
// Prints `listening on http://HOST:PORT` on stdout once it accepts requests.
import { parseArgs } from 'node:util';
import { type RunningEmulator, startEmulator } from './server';

const USAGE = `usage: sagemaker-emulator [--port N] [--host H] [--data-dir DIR]

Runs a local emulator of SageMaker, SageMaker Runtime, S3, CloudWatch Logs and
Application Auto Scaling.

  --port N        port to listen on; 0 picks a free one (default 4590)
  --host H        interface to listen on (default 127.0.0.1)
  --data-dir DIR  where state is kept across restarts (default ./.emulator-data)
  --help          show this help
`;

interface Settings {
  host: string;
  port: number;
  dataDir: string;
}

function parseSettings(args: string[]): Settings | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4590' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: './.emulator-data' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  return { host: values.host, port, dataDir: values['data-dir'] };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

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

async function startOrExit(settings: Settings): Promise<RunningEmulator> {
  try {
    return await startEmulator({ ...settings, log });
  } catch (error) {
    const portInUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    log(portInUse ? `port ${settings.port} is already in use; pick another with --port` : `cannot start the emulator: ${(error as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const emulator = await startOrExit(settingsOrExit(process.argv.slice(2)));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
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
}

void main();
