// Choosing the next token from the logits, with the controls LLM servers expose, applied in Hugging
// Face's order: repetition penalty, temperature, top-k, top-p (nucleus), then a seeded draw. Only a
// cut-off (top-k, top-p) needs the tokens sorted; a draw from the whole distribution walks them in id order.
import type { FloatArray } from './model/kernels';
import type { Random } from './model/random';

export interface SamplingOptions {
  /** 0 picks the most likely token (greedy); higher flattens the distribution. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 keeps all. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all. */
  topP: number;
  /** > 1 discourages tokens already in the text (CTRL's penalty: divide positive logits, multiply negative). */
  repetitionPenalty: number;
}

export interface SampledToken {
  token: number;
  /** Natural log of the token's probability in the distribution it was drawn from. */
  logprob: number;
}

export function sampleToken(logits: FloatArray, previous: ReadonlySet<number>, options: SamplingOptions, random: Random): SampledToken {
  const scores = Float64Array.from(logits);
  if (options.repetitionPenalty !== 1) {
    for (const token of previous) {
      scores[token] = scores[token] > 0 ? scores[token] / options.repetitionPenalty : scores[token] * options.repetitionPenalty;
    }
  }
  if (options.temperature === 0) {
    let best = 0;
    for (let token = 1; token < scores.length; token++) {
      if (scores[token] > scores[best]) {
        best = token;
      }
    }
    return { token: best, logprob: 0 };
  }
  if (options.topK === 0 && options.topP >= 1) {
    return drawFromAll(scores, options.temperature, random);
  }
  // Candidates by decreasing score (ties by token id, so the order is deterministic).
  let candidates = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  if (options.topK > 0) {
    candidates = candidates.slice(0, options.topK);
  }
  const max = scores[candidates[0]];
  let probabilities = candidates.map((token) => Math.exp((scores[token] - max) / options.temperature));
  let total = probabilities.reduce((sum, p) => sum + p, 0);
  if (options.topP < 1) {
    let kept = 0;
    let cumulative = 0;
    while (kept < candidates.length && cumulative < options.topP * total) {
      cumulative += probabilities[kept++];
    }
    candidates = candidates.slice(0, kept);
    probabilities = probabilities.slice(0, kept);
    total = cumulative;
  }
  let draw = random.nextFloat() * total;
  let chosen = candidates.length - 1;
  for (let i = 0; i < candidates.length; i++) {
    draw -= probabilities[i];
    if (draw < 0) {
      chosen = i;
      break;
    }
  }
  return { token: candidates[chosen], logprob: Math.log(probabilities[chosen] / total) };
}

/** A draw from the whole softmax, walking the tokens in id order: no sort, as nothing is cut off. */
function drawFromAll(scores: Float64Array, temperature: number, random: Random): SampledToken {
  let max = -Infinity;
  for (let token = 0; token < scores.length; token++) {
    max = Math.max(max, scores[token]);
  }
  const probabilities = new Float64Array(scores.length);
  let total = 0;
  for (let token = 0; token < scores.length; token++) {
    probabilities[token] = Math.exp((scores[token] - max) / temperature);
    total += probabilities[token];
  }
  let draw = random.nextFloat() * total;
  let chosen = scores.length - 1;
  for (let token = 0; token < scores.length; token++) {
    draw -= probabilities[token];
    if (draw < 0) {
      chosen = token;
      break;
    }
  }
  return { token: chosen, logprob: Math.log(probabilities[chosen] / total) };
}
