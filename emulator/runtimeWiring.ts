// What really runs behind the API, built in one place: training, processing and transform jobs
// (sharing one capacity through the job supervisor), endpoints, the invocation metrics they
// publish, and the autoscaler that acts on them. Each runtime drives its records through a driver
// the SageMaker (or Auto Scaling) service implements over the store.
import { join } from 'node:path';
import type { IssuedCredentials } from './auth/issuedCredentials';
import type { Runtimes } from './operations';
import { Autoscaler, DEFAULT_AUTOSCALING } from './runtime/endpoints/autoscaler';
import { builtinImages } from './runtime/hosts/builtinImages';
import { DEFAULT_ENDPOINT_TIMING, type EndpointTiming, EndpointRuntime } from './runtime/endpoints/endpointRuntime';
import { HostSandbox } from './runtime/hosts/hostSandbox';
import { ImageRegistry } from './runtime/hosts/images';
import { JobSupervisor } from './runtime/jobs/jobSupervisor';
import { ProcessGroupRecords } from './runtime/hosts/processGroups';
import { PROCESSING_RESTARTED_REASON, ProcessingRun } from './runtime/jobs/processingRun';
import { clientsFor, freePort } from './runtime/hosts/runtimeClients';
import type { RuntimeTiming } from './runtime/jobs/trainingRun';
import { DEFAULT_TIMING, TrainingRuntime } from './runtime/jobs/trainingRuntime';
import { TRANSFORM_RESTARTED_REASON, TransformRun } from './runtime/jobs/transformRun';
import { UnresumableJobs } from './runtime/jobs/unresumableJobs';
import { autoscalingRepository } from './services/application-autoscaling/driver';
import { InvocationMetrics } from './services/sagemaker-runtime/invocationMetrics';
import { endpointRepository } from './services/sagemaker/hosting/driver';
import { processingJobRepository } from './services/sagemaker/processingJobs/driver';
import { trainingJobRepository } from './services/sagemaker/trainingJobs/driver';
import { transformJobRepository } from './services/sagemaker/transformJobs/driver';
import type { Store } from './store/store';

export interface RuntimeOptions {
  /** The user's image → command map (see runtime/hosts/images.ts); default `<dataDir>/images.json` if present. */
  imagesFile?: string;
  /** Jobs beyond this wait for capacity (default 2: this is one small machine); 0 runs none. */
  maxConcurrentJobs?: number;
  /** Where the built-in containers are; default: beside this module (or bundle). */
  containersDir?: string;
  timing?: Partial<RuntimeTiming>;
  endpointTiming?: Partial<EndpointTiming>;
  /** False: endpoints stay where the API leaves them (Creating), for tests of the API alone. Default true. */
  runEndpoints?: boolean;
  /** Target tracking's metric period and datapoints (default: AWS's 60 s, 3 to scale out, 15 to scale in). */
  autoscaling?: Partial<typeof DEFAULT_AUTOSCALING>;
  /** How often endpoint invocation metrics are published to CloudWatch (default 5 s). */
  metricsFlushMs?: number;
  /**
   * False: hosts run as plain processes, not in a mount namespace where their folder is /opt/ml
   * (the fallback where bubblewrap is missing; `--no-host-sandbox`). Default true.
   */
  hostSandbox?: boolean;
}

export interface RunningRuntimes {
  runtimes: Runtimes;
  /** Once the emulator listens at `url`: runs what the records say should run. */
  start(url: string): Promise<void>;
  /** Ends every process (jobs and endpoints keep their status, for the next start). */
  close(): Promise<void>;
}

export async function createRuntimes(
  dataDir: string,
  store: Store,
  options: RuntimeOptions,
  /** What runtimes, and the processes they run, sign their calls to the emulator with. */
  issued: IssuedCredentials,
  log: (line: string) => void,
): Promise<RunningRuntimes> {
  const credentialsFor = (accountId: string) => issued.forAccount(accountId);
  const images = await ImageRegistry.load(builtinImages(options.containersDir ?? join(__dirname, 'containers')), options.imagesFile ?? join(dataDir, 'images.json'));
  const jobsDir = join(dataDir, 'jobs');
  const sandbox = new HostSandbox({ disabled: options.hostSandbox === false, log });
  const jobTiming = { ...DEFAULT_TIMING, ...options.timing };
  const endpointTiming = { ...DEFAULT_ENDPOINT_TIMING, ...options.endpointTiming };
  const supervisor = new JobSupervisor({
    maxConcurrentJobs: options.maxConcurrentJobs ?? 2,
    processGroups: new ProcessGroupRecords(join(jobsDir, 'hosts'), log),
    credentials: credentialsFor,
    log,
  });
  const training = new TrainingRuntime({ supervisor, workDir: jobsDir, images, sandbox, jobs: trainingJobRepository(store), timing: jobTiming, log });
  const processing = new UnresumableJobs({
    supervisor,
    jobs: processingJobRepository(store),
    restartedReason: PROCESSING_RESTARTED_REASON,
    run: (context, driver) => new ProcessingRun({ ...context, workDir: jobsDir, images, sandbox, timing: jobTiming, log }, driver),
  });
  const transformTiming = { stopGraceMs: jobTiming.stopGraceMs, logFlushMs: jobTiming.logFlushMs, healthCheckTimeoutMs: endpointTiming.healthCheckTimeoutMs };
  const transform = new UnresumableJobs({
    supervisor,
    jobs: transformJobRepository(store),
    restartedReason: TRANSFORM_RESTARTED_REASON,
    run: (context, driver) => new TransformRun({ ...context, workDir: jobsDir, images, sandbox, timing: transformTiming, freePort, log }, driver),
  });

  /** The emulator's own URL once it listens: endpoints are S3 and CloudWatch Logs clients of it. */
  let ownUrl = '';
  const endpointClients = new Map<string, ReturnType<typeof clientsFor>>();
  const endpoints = new EndpointRuntime({
    enabled: options.runEndpoints ?? true,
    workDir: join(dataDir, 'endpoints'),
    images,
    sandbox,
    endpoints: endpointRepository(store),
    clients(arn) {
      const clients = endpointClients.get(arn) ?? clientsFor(ownUrl, arn, credentialsFor);
      endpointClients.set(arn, clients);
      return clients;
    },
    freePort,
    processGroups: new ProcessGroupRecords(join(dataDir, 'endpoints', 'hosts'), log),
    timing: endpointTiming,
    log,
  });
  const invocationMetrics = new InvocationMetrics(store, log);
  const autoscaling = { ...DEFAULT_AUTOSCALING, ...options.autoscaling };
  const autoscaler = new Autoscaler({
    repository: autoscalingRepository(store, endpoints),
    invocationsSince: (arn, variant, since) => invocationMetrics.invocationsSince(arn, variant, since),
    ...autoscaling,
    log,
  });

  return {
    runtimes: { training, processing, transform, endpoints, invocationMetrics, images },
    async start(url) {
      ownUrl = url;
      const startJobs = async () => {
        await supervisor.start(url);
        await training.recover();
        await processing.recover();
        await transform.recover();
      };
      await Promise.all([startJobs(), endpoints.start()]);
      invocationMetrics.start(options.metricsFlushMs ?? 5000);
      if (options.runEndpoints !== false) autoscaler.start();
    },
    async close() {
      await autoscaler.close();
      await Promise.all([supervisor.close(), endpoints.close(), invocationMetrics.close()]);
      for (const { s3, logs } of endpointClients.values()) {
        s3.destroy();
        logs.destroy();
      }
    },
  };
}
