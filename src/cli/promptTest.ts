// `sagemaker-workbench prompt-test FILE`: the prompt tests of a file run against one or more
// endpoints — in AWS (a region and profile, the SDK's credential chain) or in the local emulator —
// with a table on stdout, JUnit XML where asked, and an exit code CI can gate on: 0 all passed,
// 1 a case failed, 2 the command or the file is wrong.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AwsClients } from '../aws/clients';
import type { ConnectionSettings } from '../connection/settings';
import type { FormatSpec } from '../pipeline/chat/types';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { probeFormat } from '../pipeline/chat/formats';
import { describeCallFailure, invokeCall } from '../pipeline/promptTests/invoke';
import { NoEndpointError, planCalls, resolveEndpointFormats } from '../pipeline/promptTests/plan';
import { parsePromptFile } from '../pipeline/promptTests/promptFile';
import { resultTable, summarize } from '../pipeline/promptTests/report';
import { runCalls } from '../pipeline/promptTests/runner';

export const PROMPT_TEST_USAGE = `usage: sagemaker-workbench prompt-test FILE --endpoint NAME [--endpoint NAME2]
         [--region REGION] [--profile PROFILE | --emulator URL]
         [--junit FILE] [--concurrency N] [--case NAME]...

Runs the prompt tests of FILE (a *.prompts.yaml file) and prints a table of results.
  --endpoint NAME    an endpoint to run against (repeat for several); default: the file's matrix.endpoints
  --region REGION    AWS region (default: AWS_REGION, else us-east-1)
  --profile PROFILE  AWS profile (default: the SDK's credential chain)
  --emulator URL     the local SageMaker emulator instead of AWS, e.g. http://127.0.0.1:4590
  --junit FILE       also write the results as JUnit XML
  --concurrency N    invocations in flight (default: the file's concurrency, else 4)
  --case NAME        run only this case (repeatable)
Exit code: 0 all passed, 1 a case failed, 2 a usage or file error.`;

export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

export class UsageError extends Error {}

interface PromptTestOptions {
  file: string;
  endpoints: string[];
  settings: ConnectionSettings;
  junit?: string;
  concurrency?: number;
  cases: string[];
}

function parseOptions(args: string[], env: NodeJS.ProcessEnv): PromptTestOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        endpoint: { type: 'string', multiple: true },
        region: { type: 'string' },
        profile: { type: 'string' },
        emulator: { type: 'string' },
        junit: { type: 'string' },
        concurrency: { type: 'string' },
        case: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the prompt-test file' : `one file at a time (got ${positionals.join(', ')})`);
  if (values.profile !== undefined && values.emulator !== undefined) throw new UsageError('--profile is for AWS and --emulator for the local emulator: give one of them');
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`${region} is not an AWS region (such as us-east-1)`);
  let settings: ConnectionSettings;
  if (values.emulator !== undefined) {
    let url: URL;
    try {
      url = new URL(values.emulator);
    } catch {
      throw new UsageError(`--emulator ${values.emulator} is not a URL (such as http://127.0.0.1:4590)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--emulator ${values.emulator} must be an http(s) URL`);
    settings = { mode: 'emulator', region, endpoint: url.origin, autoStart: false };
  } else {
    settings = { mode: 'aws', region, profile: values.profile };
  }
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64 (got ${values.concurrency})`);
  }
  return { file: positionals[0], endpoints: values.endpoint ?? [], settings, junit: values.junit, concurrency, cases: values.case ?? [] };
}

/** The endpoint's format as the chat's probe finds it (a JumpStart model's EULA is the file's to accept). */
async function probedFormat(runtime: SageMakerRuntimeClient, endpoint: string, signal: AbortSignal): Promise<FormatSpec | undefined> {
  const { format } = await probeFormat(runtime, endpoint, signal);
  return format ? { format } : undefined;
}

/** Runs the command; resolves to its exit code. */
export async function promptTestCommand(args: string[], output: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: PromptTestOptions;
  try {
    options = parseOptions(args, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`sagemaker-workbench prompt-test: ${error.message}\n\n${PROMPT_TEST_USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    // Read synchronously: fs/promises' first call starts libuv's thread pool, 20–45 ms of this
    // process's start that nothing else in a run needs (measured with `node -e` here).
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    output.err(`Cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return 2;
  }
  const parsed = parsePromptFile(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) output.err(`${options.file}:${problem.line}:${problem.column}: ${problem.message}\n`);
    return 2;
  }
  const known = new Set(parsed.file.cases.map((promptCase) => promptCase.name));
  const unknown = options.cases.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    output.err(`No case named ${unknown.map((name) => `"${name}"`).join(', ')} in ${options.file}.\n`);
    return 2;
  }
  let calls;
  try {
    calls = planCalls(parsed.file, { endpoints: options.endpoints, only: options.cases.length ? new Set(options.cases) : undefined });
  } catch (error) {
    if (!(error instanceof NoEndpointError)) throw error;
    output.err(`${error.message}\n`);
    return 2;
  }
  const clients = new AwsClients(options.settings);
  const runtime = await clients.sageMakerRuntime();
  const started = performance.now();
  try {
    // A file that names no format: each endpoint's, found by the chat's probe (once an endpoint, before the calls).
    calls = await resolveEndpointFormats(calls, (endpoint, signal) => probedFormat(runtime, endpoint, signal), new AbortController().signal);
    const results = await runCalls(calls, {
      concurrency: options.concurrency ?? parsed.file.concurrency,
      invoke: (call, signal) => invokeCall(runtime, call, signal),
      describeFailure: (error, call) => describeCallFailure(error, call, { settings: options.settings }),
    });
    const durationMs = performance.now() - started;
    output.out(`${resultTable(results)}\n`);
    if (options.junit) {
      const { junitXml } = await import('../pipeline/promptTests/junit');
      writeFileSync(options.junit, junitXml(path.basename(options.file), results, durationMs));
      output.out(`JUnit XML: ${options.junit}\n`);
    }
    return summarize(results).failed > 0 ? 1 : 0;
  } finally {
    clients.dispose();
  }
}
