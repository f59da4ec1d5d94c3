// The training procedure: learn the tokenizer (or take it from the checkpoint being resumed), then
// steps of data-parallel gradients → fixed-order reduction → clipping → AdamW with a warmup-cosine
// learning rate, with validation, log lines and atomic checkpoints along the way. Everything that
// decides the weights — initial values, data order, shard sums — is seeded or fixed, so a run is
// reproducible bit for bit, whatever the thread and host counts and however often it was interrupted.
import { loadLatestCheckpoint, saveCheckpoint } from './checkpoint';
import { readSample, readValidationWindows, TrainingDataset, type DatasetOptions, type DatasetState } from './data';
import { DataParallelWorkers, splitEvenly } from './dataParallel';
import { LocalGradientReducer, type GradientReducer } from './gradientReduction';
import { AdamW, clipGradientNorm } from './optimizer';
import { initializeParameters, ParameterLayout, type ModelConfig } from './model/parameters';
import { Random } from './model/random';
import { learningRateAt } from './schedule';
import { TcpGradientReducer, type HostRing } from './tcpGradientReducer';
import { BytePairTokenizer, type TokenizerJson } from './tokenizer';

export interface TrainingHyperparameters {
  vocabSize: number;
  layers: number;
  heads: number;
  width: number;
  context: number;
  /** Number of optimizer steps of the whole run. */
  steps: number;
  /** Sequences per step. */
  batchSize: number;
  /** Sequences per shard: the unit of work of a thread and of the fixed-order gradient sum. */
  microBatchSize: number;
  learningRate: number;
  minLearningRate: number;
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  gradientClip: number;
  seed: number;
  threads: number;
  /** Every n-th window of the data is held out for validation (0: none). */
  validationInterval: number;
  validationSequences: number;
  /** Validation loss every n steps (0: never). */
  evalInterval: number;
  shuffleBuffer: number;
  /** Bytes of the channel the tokenizer learns from. */
  tokenizerSampleBytes: number;
  /** Checkpoint every n steps (0: only when stopped or finished). */
  checkpointInterval: number;
  keepCheckpoints: number;
  logInterval: number;
}

export const DEFAULT_HYPERPARAMETERS: TrainingHyperparameters = {
  vocabSize: 512,
  layers: 4,
  heads: 4,
  width: 128,
  context: 128,
  steps: 200,
  batchSize: 8,
  microBatchSize: 1,
  learningRate: 3e-3,
  minLearningRate: 3e-4,
  warmupSteps: 20,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  gradientClip: 1,
  seed: 1,
  threads: 1,
  validationInterval: 20,
  validationSequences: 16,
  evalInterval: 50,
  shuffleBuffer: 256,
  tokenizerSampleBytes: 4 * 1024 * 1024,
  checkpointInterval: 50,
  keepCheckpoints: 3,
  logInterval: 10,
};

export interface TrainingRun {
  /** The training channel's files. */
  files: readonly string[];
  hyperparameters: TrainingHyperparameters;
  /** Where checkpoints are saved and resumed from; none: no checkpoints. */
  checkpointDirectory?: string;
  log(line: string): void;
  /**
   * When aborted, training stops at the end of the step whose gradient reduction sees it (the same step
   * on every host) and saves a checkpoint.
   */
  signal?: AbortSignal;
  /**
   * The job's hosts, when it has several: each computes its part of every step's shards, the gradients
   * are summed over TCP (tcpGradientReducer.ts), and host 0 saves the checkpoints.
   */
  hosts?: HostRing;
}

export interface TrainedModel {
  config: ModelConfig;
  tokenizer: BytePairTokenizer;
  parameters: Float32Array;
  /** Steps done; less than hyperparameters.steps when stopped early. */
  step: number;
}

/** What a checkpoint holds besides tensors. */
interface TrainingState {
  config: ModelConfig;
  tokenizer: TokenizerJson;
  dataset: DatasetState;
}

const FIRST_MOMENT_PREFIX = 'optimizer.first_moment.';
const SECOND_MOMENT_PREFIX = 'optimizer.second_moment.';

export async function train(run: TrainingRun): Promise<TrainedModel> {
  const hp = run.hyperparameters;
  if (hp.batchSize % hp.microBatchSize !== 0) {
    throw new RangeError(`batch size ${hp.batchSize} is not a multiple of the micro-batch size ${hp.microBatchSize}`);
  }
  const resumed = run.checkpointDirectory
    ? await loadLatestCheckpoint<TrainingState>(run.checkpointDirectory, (file, reason) => run.log(`skipping checkpoint ${file}: ${reason}`))
    : undefined;
  const tokenizer = resumed
    ? BytePairTokenizer.fromJSON(resumed.state.tokenizer)
    : BytePairTokenizer.train(await readSample(run.files, hp.tokenizerSampleBytes), hp.vocabSize);
  const config: ModelConfig = { vocabSize: tokenizer.vocabSize, layers: hp.layers, heads: hp.heads, width: hp.width, context: hp.context };
  if (resumed && JSON.stringify(resumed.state.config) !== JSON.stringify(config)) {
    throw new Error(`checkpoint of step ${resumed.step} is of another model (${JSON.stringify(resumed.state.config)}), not ${JSON.stringify(config)}`);
  }
  const layout = new ParameterLayout(config);
  const datasetOptions: DatasetOptions = {
    files: run.files, tokenizer, length: hp.context, validationInterval: hp.validationInterval, shuffleBuffer: hp.shuffleBuffer,
  };
  const validation = await readValidationWindows(datasetOptions, hp.validationSequences);
  const rank = run.hosts?.rank ?? 0;
  const [firstShard, endShard] = splitEvenly(hp.batchSize / hp.microBatchSize, run.hosts?.addresses.length ?? 1)[rank];
  if (endShard === firstShard) {
    throw new RangeError(`host ${rank} has no shard: more hosts than the ${hp.batchSize / hp.microBatchSize} shards of a step`);
  }
  // More threads than shards would idle.
  const threads = Math.min(hp.threads, endShard - firstShard);
  const workers = new DataParallelWorkers({
    config, threads, shards: endShard - firstShard, sequencesPerShard: hp.microBatchSize, maxEvaluationSequences: validation.sequences,
  });
  let reducer: GradientReducer | undefined;
  try {
    const kernels = workers.kernels;
    reducer = run.hosts && run.hosts.addresses.length > 1
      ? await TcpGradientReducer.connect(run.hosts, layout.size, { startStep: resumed?.step ?? 0, gradient: workers.gradient, kernels })
      : new LocalGradientReducer(workers.gradient, kernels);
    const optimizer = new AdamW(layout, { beta1: hp.beta1, beta2: hp.beta2, epsilon: 1e-8, weightDecay: hp.weightDecay }, workers.optimizerStorage);
    if (resumed) {
      layout.readNamedTensors(resumed.tensors, workers.parameters);
      layout.readNamedTensors(resumed.tensors, optimizer.firstMoment, FIRST_MOMENT_PREFIX);
      layout.readNamedTensors(resumed.tensors, optimizer.secondMoment, SECOND_MOMENT_PREFIX);
      run.log(`resumed from the checkpoint of step ${resumed.step}`);
    } else {
      initializeParameters(layout, workers.parameters, Random.fromSeed(hp.seed));
    }
    const dataset = new TrainingDataset(datasetOptions, hp.seed + 1, resumed?.state.dataset);
    run.log(`model: ${layout.size} parameters, vocabulary ${config.vocabSize}, ${threads} thread(s), ${validation.sequences} validation sequences`);

    const windowSize = hp.context + 1;
    const batch = new Int32Array(hp.batchSize * windowSize);
    const ownSequences = [firstShard * hp.microBatchSize * windowSize, endShard * hp.microBatchSize * windowSize];
    const tokensPerStep = hp.batchSize * hp.context;
    const schedule = { peak: hp.learningRate, minimum: hp.minLearningRate, warmupSteps: hp.warmupSteps, totalSteps: hp.steps };
    const metrics = new MetricsLine(tokensPerStep);
    let step = resumed?.step ?? 0;
    let savedStep = step;
    const checkpoint = async (): Promise<void> => {
      if (run.checkpointDirectory && rank === 0 && savedStep !== step) {
        const tensors = [
          ...layout.namedTensors(workers.parameters),
          ...layout.namedTensors(optimizer.firstMoment, FIRST_MOMENT_PREFIX),
          ...layout.namedTensors(optimizer.secondMoment, SECOND_MOMENT_PREFIX),
        ];
        const state: TrainingState = { config, tokenizer: tokenizer.toJSON(), dataset: dataset.state() };
        await saveCheckpoint(run.checkpointDirectory, step, tensors, state, hp.keepCheckpoints);
        savedStep = step;
      }
    };

    let stopRequested = false;
    while (step < hp.steps && !stopRequested) {
      const stepStarted = performance.now();
      // Every host reads the whole batch, so that all stay at the same data position.
      await dataset.nextBatch(batch, hp.batchSize);
      workers.batch.set(batch.subarray(ownSequences[0], ownSequences[1]));
      const shards = await workers.computeGradients(1 / tokensPerStep);
      const reduced = await reducer.reduce({ ...shards, stopRequested: run.signal?.aborted ?? false });
      const { gradient, lossSum } = reduced;
      stopRequested = reduced.stopRequested;
      const gradientNorm = clipGradientNorm(gradient, hp.gradientClip, kernels);
      step++;
      const learningRate = learningRateAt(step, schedule);
      optimizer.update(workers.parameters, gradient, learningRate, step);

      metrics.addStep(lossSum / tokensPerStep, (performance.now() - stepStarted) / 1000);
      const isLast = step === hp.steps;
      const evaluate = hp.evalInterval > 0 && validation.sequences > 0 && (step % hp.evalInterval === 0 || isLast);
      if (step % hp.logInterval === 0 || isLast || evaluate) {
        const validationLoss = evaluate
          ? (await workers.evaluate(validation.tokens, validation.sequences)) / (validation.sequences * hp.context)
          : undefined;
        run.log(metrics.take(step, validationLoss, learningRate, gradientNorm));
      }
      if (hp.checkpointInterval > 0 && step % hp.checkpointInterval === 0) {
        await checkpoint();
      }
    }
    await checkpoint();
    return { config, tokenizer, parameters: Float32Array.from(workers.parameters), step };
  } finally {
    await Promise.all([workers.close(), reducer?.close()]);
  }
}

/** Log lines `step=… loss=… val_loss=… lr=… grad_norm=… tokens_per_sec=…` for MetricDefinitions to parse. */
class MetricsLine {
  private lossSum = 0;
  private steps = 0;
  private seconds = 0;

  constructor(private readonly tokensPerStep: number) {}

  addStep(meanLoss: number, seconds: number): void {
    this.lossSum += meanLoss;
    this.steps++;
    this.seconds += seconds;
  }

  /** The line for the steps since the last one: their mean loss and their throughput (steps only, not validation or checkpoints). */
  take(step: number, validationLoss: number | undefined, learningRate: number, gradientNorm: number): string {
    const tokensPerSecond = (this.steps * this.tokensPerStep) / this.seconds;
    const fields = [
      `step=${step}`,
      `loss=${(this.lossSum / this.steps).toFixed(4)}`,
      ...(validationLoss === undefined ? [] : [`val_loss=${validationLoss.toFixed(4)}`]),
      `lr=${learningRate.toExponential(3)}`,
      `grad_norm=${gradientNorm.toFixed(4)}`,
      `tokens_per_sec=${Math.round(tokensPerSecond)}`,
    ];
    this.lossSum = 0;
    this.steps = 0;
    this.seconds = 0;
    return fields.join(' ');
  }
}
