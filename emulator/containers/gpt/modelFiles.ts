// The trained model's directory (what SageMaker packs into model.tar.gz and a model server unpacks):
// model.safetensors with the weights, config.json with the model's shape, tokenizer.json.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomically } from './checkpoint';
import { gunzipChunks } from './storedGunzip';
import { ParameterLayout, validateModelConfig, type ModelConfig } from './model/parameters';
import { decodeSafetensors, encodeSafetensors, SafetensorsReader, type NamedTensor } from './safetensors';
import { TarReader } from './tarReader';
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
  const [config, tokenizer, weights] = await Promise.all(
    [CONFIG_FILE, TOKENIZER_FILE, WEIGHTS_FILE].map((name) => fs.readFile(path.join(directory, name))),
  );
  return assembleModel(config, tokenizer, decodeSafetensors(weights).tensors);
}

/** config.json and tokenizer.json are small; a much bigger one is not a built-in GPT's. */
const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Loads a model straight from a model.tar.gz stream (any gzip level), without writing its files:
 * the weights are inflated (storedGunzip.ts) into one Float32Array as the archive arrives — one that `allocate` gives,
 * such as a region of the WebAssembly memory the model will run in. The files are taken from the
 * archive's top level, as they would land in SM_MODEL_DIR; other files are skipped.
 */
export async function loadModelFromTarGz(archive: AsyncIterable<Uint8Array>, allocate?: (floats: number) => Float32Array): Promise<SavedModel> {
  let weights: SafetensorsReader | undefined;
  const json = new Map<string, Buffer>();
  const reader = new TarReader((entryPath, size) => {
    const name = entryPath.replace(/^(\.\/)+/, '');
    if (name === WEIGHTS_FILE) {
      return (weights = new SafetensorsReader(size, allocate));
    }
    if (name === CONFIG_FILE || name === TOKENIZER_FILE) {
      if (size > MAX_JSON_FILE_BYTES) {
        throw new Error(`${name} in the archive has ${size} bytes; a built-in GPT's has far fewer`);
      }
      const bytes = Buffer.allocUnsafe(size);
      let filled = 0;
      return {
        write: (chunk) => {
          bytes.set(chunk, filled);
          filled += chunk.length;
        },
        end: () => json.set(name, bytes),
      };
    }
    return undefined;
  });
  for await (const chunk of gunzipChunks(archive)) {
    reader.write(chunk);
  }
  reader.end();
  const missing = [CONFIG_FILE, TOKENIZER_FILE].filter((name) => !json.has(name)).concat(weights ? [] : [WEIGHTS_FILE]);
  if (missing.length > 0) {
    throw new Error(`the model archive has no ${missing.join(', ')} at its top level`);
  }
  return assembleModel(json.get(CONFIG_FILE)!, json.get(TOKENIZER_FILE)!, weights!.result().tensors);
}

function assembleModel(configFile: Buffer, tokenizerFile: Buffer, tensors: ReadonlyMap<string, NamedTensor>): SavedModel {
  const json = JSON.parse(configFile.toString('utf8')) as ConfigJson;
  if (json.model_type !== 'gpt') {
    throw new Error(`${CONFIG_FILE} is not of a built-in GPT model`);
  }
  const config: ModelConfig = { vocabSize: json.vocab_size, layers: json.layers, heads: json.heads, width: json.width, context: json.context };
  validateModelConfig(config);
  const tokenizer = BytePairTokenizer.fromJSON(JSON.parse(tokenizerFile.toString('utf8')) as TokenizerJson);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`the tokenizer has ${tokenizer.vocabSize} tokens, more than the model's ${config.vocabSize}`);
  }
  return { config, tokenizer, parameters: new ParameterLayout(config).parametersFromTensors(tensors) };
}
