// The trained model's directory (what SageMaker packs into model.tar.gz and a model server unpacks):
// model.safetensors with the weights, config.json with the model's shape, tokenizer.json.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomically } from './checkpoint';
import { ParameterLayout, validateModelConfig, type ModelConfig } from './parameters';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { BytePairTokenizer, type TokenizerJson } from './tokenizer';

export interface SavedModel {
  config: ModelConfig;
  tokenizer: BytePairTokenizer;
  parameters: Float32Array;
}

const WEIGHTS_FILE = 'model.safetensors';
const CONFIG_FILE = 'config.json';
const TOKENIZER_FILE = 'tokenizer.json';

/** config.json, in the snake_case of Hugging Face configs. */
interface ConfigJson {
  model_type: 'gpt';
  vocab_size: number;
  layers: number;
  heads: number;
  width: number;
  context: number;
}

export async function saveModel(directory: string, model: SavedModel): Promise<void> {
  await fs.mkdir(directory, { recursive: true });
  const { vocabSize, layers, heads, width, context } = model.config;
  const config: ConfigJson = { model_type: 'gpt', vocab_size: vocabSize, layers, heads, width, context };
  const layout = new ParameterLayout(model.config);
  await writeFileAtomically(path.join(directory, WEIGHTS_FILE), encodeSafetensors(layout.namedTensors(model.parameters), { format: 'pt' }));
  await writeFileAtomically(path.join(directory, CONFIG_FILE), [Buffer.from(JSON.stringify(config, null, 2))]);
  await writeFileAtomically(path.join(directory, TOKENIZER_FILE), [Buffer.from(JSON.stringify(model.tokenizer))]);
}

export async function loadModel(directory: string): Promise<SavedModel> {
  const json = JSON.parse(await fs.readFile(path.join(directory, CONFIG_FILE), 'utf8')) as ConfigJson;
  if (json.model_type !== 'gpt') {
    throw new Error(`${CONFIG_FILE} is not of a built-in GPT model`);
  }
  const config: ModelConfig = { vocabSize: json.vocab_size, layers: json.layers, heads: json.heads, width: json.width, context: json.context };
  validateModelConfig(config);
  const tokenizer = BytePairTokenizer.fromJSON(JSON.parse(await fs.readFile(path.join(directory, TOKENIZER_FILE), 'utf8')) as TokenizerJson);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`the tokenizer has ${tokenizer.vocabSize} tokens, more than the model's ${config.vocabSize}`);
  }
  const { tensors } = decodeSafetensors(await fs.readFile(path.join(directory, WEIGHTS_FILE)));
  return { config, tokenizer, parameters: new ParameterLayout(config).parametersFromTensors(tensors) };
}
