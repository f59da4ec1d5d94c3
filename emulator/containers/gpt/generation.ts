// Text generation with a KV cache: the prompt runs through the model once, then each new token runs
// alone, attending to the keys and values kept from earlier positions. When the context is full, the
// last half of the text is run again from position 0 and generation goes on (a sliding window).
// Each stream has its own model buffers (its cache), so concurrent streams do not interfere.
import { randomInt } from 'node:crypto';
import { GptModel } from './model';
import type { SavedModel } from './modelFiles';
import { ParameterLayout, type ModelWeights } from './parameters';
import { Random } from './random';
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
    validateGenerationParameters(parameters);
    const promptTokens = this.tokenizer.encodeText(prompt);
    if (promptTokens.length === 0) {
      throw new RangeError('the prompt is empty');
    }
    const { context } = this.layout.config;
    const seed = parameters.seed ?? randomInt(2 ** 32);
    const random = Random.fromSeed(seed);
    const model = new GptModel(this.layout, 1);
    const history = promptTokens.slice(-context);
    const seen = new Set(promptTokens);
    const decoder = new TextDecoder('utf-8');
    const tokens: GeneratedToken[] = [];
    let generated = '';
    let position = history.length;
    let logits = model.forwardFrom(this.weights, history, 0);
    for (;;) {
      // A model may have more embeddings than its tokenizer has tokens: only real tokens are drawn.
      const { token, logprob } = sampleToken(logits.subarray(0, this.tokenizer.vocabSize), seen, parameters, random);
      if (token === this.tokenizer.endOfText) {
        const end: GeneratedToken = { id: token, text: END_OF_TEXT, special: true, logprob, finishReason: 'eos_token' };
        tokens.push(end);
        yield end;
        return { text: generated, tokens, promptTokens: promptTokens.length, finishReason: 'eos_token', seed };
      }
      const searchFrom = generated.length;
      let piece = decoder.decode(this.tokenizer.bytesOf(token), { stream: true });
      // A stop sequence may end inside this token's text, and may have begun in earlier tokens.
      const stopSequence = parameters.stop.find((stop) => stop.length > 0 && (generated + piece).includes(stop, Math.max(0, searchFrom - stop.length + 1)));
      const finishReason: FinishReason | undefined = stopSequence !== undefined ? 'stop_sequence' : tokens.length + 1 === parameters.maxNewTokens ? 'length' : undefined;
      if (finishReason) {
        piece += decoder.decode(); // the bytes of an unfinished character, as U+FFFD
      }
      generated += piece;
      const generatedToken: GeneratedToken = finishReason ? { id: token, text: piece, logprob, finishReason } : { id: token, text: piece, logprob };
      tokens.push(generatedToken);
      yield generatedToken;
      if (finishReason) {
        return { text: generated, tokens, promptTokens: promptTokens.length, finishReason, stopSequence, seed };
      }
      seen.add(token);
      history.push(token);
      if (position === context) {
        const kept = history.slice(-Math.floor(context / 2));
        logits = model.forwardFrom(this.weights, kept, 0);
        position = kept.length;
      } else {
        logits = model.forwardFrom(this.weights, [token], position);
        position++;
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
