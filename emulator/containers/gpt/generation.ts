// Text generation with a KV cache: the prompt runs through the model once, then each new token runs
// alone, attending to the keys and values kept from earlier positions. When the context is full, the
// last half of the text is run again from position 0 and generation goes on (a sliding window).
// GenerationStream is one stream's state — what to run next, its seeded draws, its stop sequences —
// apart from the model, so that the batching server (batcher.ts) runs many streams through one model
// pass per step; TextGenerator runs one stream alone.
import { randomInt } from 'node:crypto';
import { GptModel } from './model/model';
import type { SavedModel } from './modelFiles';
import { ParameterLayout, type ModelWeights } from './model/parameters';
import { Random } from './model/random';
import type { FloatArray } from './model/kernels';
import { sampleToken, type SamplingOptions } from './sampling';
import { END_OF_TEXT, type BytePairTokenizer } from './tokenizer';

export interface GenerationParameters extends SamplingOptions {
  maxNewTokens: number;
  /** Generation ends after a token that completes one of these strings. */
  stop: readonly string[];
  /** Same seed, prompt and parameters ⇒ same text; none draws a random seed. */
  seed?: number;
}

export const DEFAULT_GENERATION: GenerationParameters = {
  maxNewTokens: 64, temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, stop: [],
};

/** TGI's reasons: the token limit, a stop sequence, or the model's own <|endoftext|>. */
export type FinishReason = 'length' | 'stop_sequence' | 'eos_token';

export interface GeneratedToken {
  id: number;
  /**
   * The text this token completes: empty while a UTF-8 character is split across tokens. For the
   * special <|endoftext|>, its name, which is not part of the generated text.
   */
  text: string;
  /** Set on <|endoftext|>. */
  special?: true;
  logprob: number;
  /** Set on the last token, so that a stream can close without waiting for another step. */
  finishReason?: FinishReason;
}

export interface GenerationResult {
  /**
   * All generated text (the texts of the tokens but <|endoftext|>, joined), a matched stop sequence
   * included. Bytes of a character left unfinished by <|endoftext|> are dropped.
   */
  text: string;
  tokens: GeneratedToken[];
  promptTokens: number;
  finishReason: FinishReason;
  /** The stop sequence that ended generation, if one did. */
  stopSequence?: string;
  seed: number;
}

/**
 * One stream's generation: its prompt, the tokens still to run through the model (the prompt at
 * first, then each drawn token, or the kept half of the text after a slide), and its draws. The
 * caller runs the pending tokens (in chunks if it likes), then hands `next` the logits of the last.
 */
export class GenerationStream {
  readonly seed: number;
  readonly promptTokens: number;
  private readonly random: Random;
  private readonly history: number[];
  private readonly seen: Set<number>;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly tokens: GeneratedToken[] = [];
  private generated = '';
  /** Tokens to run next, the first at position pendingStart. */
  private pending: number[];
  private pendingStart = 0;
  /** The position after the last token run. */
  private position = 0;
  private finalResult: GenerationResult | undefined;

  /** Throws a RangeError for an empty prompt or parameters out of range. A prompt longer than the context keeps its end. */
  constructor(private readonly tokenizer: BytePairTokenizer, private readonly context: number, prompt: string, private readonly parameters: GenerationParameters) {
    validateGenerationParameters(parameters);
    const promptTokens = tokenizer.encodeText(prompt);
    if (promptTokens.length === 0) {
      throw new RangeError('the prompt is empty');
    }
    this.promptTokens = promptTokens.length;
    this.seed = parameters.seed ?? randomInt(2 ** 32);
    this.random = Random.fromSeed(this.seed);
    this.history = promptTokens.slice(-context);
    this.seen = new Set(promptTokens);
    this.pending = this.history.slice();
  }

  /** How many tokens are still to run before `next`. */
  get remaining(): number {
    return this.pending.length;
  }

  /** Takes up to `count` of the pending tokens: run them at positions start, start + 1, … */
  take(count: number): { tokens: number[]; start: number } {
    const tokens = this.pending.splice(0, count);
    const start = this.pendingStart;
    this.pendingStart += tokens.length;
    this.position = this.pendingStart;
    return { tokens, start };
  }

  /** Draws the next token from the logits of the last token run; the last token carries its finish reason. */
  next(logits: FloatArray): GeneratedToken {
    if (this.finalResult || this.pending.length > 0) {
      throw new Error(this.finalResult ? 'the stream has ended' : 'tokens are still to run before the next draw');
    }
    const { parameters, tokenizer } = this;
    // A model may have more embeddings than its tokenizer has tokens: only real tokens are drawn.
    const { token, logprob } = sampleToken(logits.subarray(0, tokenizer.vocabSize), this.seen, parameters, this.random);
    if (token === tokenizer.endOfText) {
      const end: GeneratedToken = { id: token, text: END_OF_TEXT, special: true, logprob, finishReason: 'eos_token' };
      this.tokens.push(end);
      this.finish('eos_token');
      return end;
    }
    const searchFrom = this.generated.length;
    let piece = this.decoder.decode(tokenizer.bytesOf(token), { stream: true });
    // A stop sequence may end inside this token's text, and may have begun in earlier tokens.
    const stopSequence = parameters.stop.find((stop) => stop.length > 0 && (this.generated + piece).includes(stop, Math.max(0, searchFrom - stop.length + 1)));
    const finishReason: FinishReason | undefined = stopSequence !== undefined ? 'stop_sequence' : this.tokens.length + 1 === parameters.maxNewTokens ? 'length' : undefined;
    if (finishReason) {
      piece += this.decoder.decode(); // the bytes of an unfinished character, as U+FFFD
    }
    this.generated += piece;
    const generatedToken: GeneratedToken = finishReason ? { id: token, text: piece, logprob, finishReason } : { id: token, text: piece, logprob };
    this.tokens.push(generatedToken);
    if (finishReason) {
      this.finish(finishReason, stopSequence);
      return generatedToken;
    }
    this.seen.add(token);
    this.history.push(token);
    if (this.position === this.context) {
      this.pending = this.history.slice(-Math.floor(this.context / 2));
      this.pendingStart = 0;
    } else {
      this.pending = [token];
      this.pendingStart = this.position;
    }
    return generatedToken;
  }

  /** The whole result, once the last token is drawn. */
  get result(): GenerationResult | undefined {
    return this.finalResult;
  }

  private finish(finishReason: FinishReason, stopSequence?: string): void {
    this.finalResult = { text: this.generated, tokens: this.tokens, promptTokens: this.promptTokens, finishReason, stopSequence, seed: this.seed };
  }
}

/** Generates one stream at a time, with its own model buffers (its cache), on the JavaScript kernels. */
export class TextGenerator {
  readonly tokenizer: BytePairTokenizer;
  private readonly layout: ParameterLayout;
  private readonly weights: ModelWeights;

  constructor(model: SavedModel) {
    this.tokenizer = model.tokenizer;
    this.layout = new ParameterLayout(model.config);
    this.weights = this.layout.views(model.parameters);
  }

  /**
   * Yields each token as it is generated; returns the whole result. A prompt longer than the context
   * keeps its end. Throws a RangeError for an empty prompt or parameters out of range.
   */
  *stream(prompt: string, parameters: GenerationParameters): Generator<GeneratedToken, GenerationResult> {
    const stream = new GenerationStream(this.tokenizer, this.layout.config.context, prompt, parameters);
    const model = new GptModel(this.layout, 1);
    for (;;) {
      const { tokens, start } = stream.take(stream.remaining);
      const token = stream.next(model.forwardFrom(this.weights, tokens, start));
      yield token;
      if (stream.result) {
        return stream.result;
      }
    }
  }

  generate(prompt: string, parameters: GenerationParameters): GenerationResult {
    const stream = this.stream(prompt, parameters);
    for (;;) {
      const next = stream.next();
      if (next.done) {
        return next.value;
      }
    }
  }
}

function validateGenerationParameters(parameters: GenerationParameters): void {
  const { maxNewTokens, temperature, topK, topP, repetitionPenalty, seed } = parameters;
  const problems = [
    !(Number.isInteger(maxNewTokens) && maxNewTokens >= 1) && `max_new_tokens must be a positive integer, got ${maxNewTokens}`,
    !(temperature >= 0) && `temperature must be non-negative, got ${temperature}`,
    !(Number.isInteger(topK) && topK >= 0) && `top_k must be a non-negative integer, got ${topK}`,
    !(topP > 0 && topP <= 1) && `top_p must be in (0, 1], got ${topP}`,
    !(repetitionPenalty > 0) && `repetition_penalty must be positive, got ${repetitionPenalty}`,
    seed !== undefined && !(Number.isInteger(seed) && seed >= 0) && `seed must be a non-negative integer, got ${seed}`,
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) {
    throw new RangeError(problems.join('; '));
  }
}
