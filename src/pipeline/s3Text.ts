// Whether an S3 object can be opened as text in an editor, and its text: at most 10 MB (an editor
// tab is no place for more; Download is), and text by its name (.jsonl, .csv, .py, …) or, for other
// names, by its first bytes (no NUL byte, valid UTF-8).
import type { S3Client } from '@aws-sdk/client-s3';
import { loadSdk } from '../aws/clients';
import { formatBytes } from '../format';

export const MAX_TEXT_OBJECT_BYTES = 10 * 1024 * 1024;
const SNIFF_BYTES = 8192;

const TEXT_EXTENSIONS = new Set([
  'jsonl', 'ndjson', 'json', 'csv', 'tsv', 'txt', 'md', 'py', 'ipynb', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf',
  'sh', 'js', 'ts', 'xml', 'html', 'log', 'sql', 'r', 'jinja', 'j2', 'tpl', 'properties', 'env',
]);
const BINARY_EXTENSIONS = new Set(['gz', 'tgz', 'tar', 'zip', 'bz2', 'xz', 'zst', 'parquet', 'arrow', 'safetensors', 'bin', 'pt', 'pth', 'ckpt', 'pkl', 'npy', 'npz', 'h5', 'onnx', 'png', 'jpg', 'jpeg', 'gif', 'wav', 'mp3', 'mp4']);

/** Whether the name says text: such objects open on a click in the Datasets view. */
export function isTextName(key: string): boolean {
  return TEXT_EXTENSIONS.has(extensionOf(key));
}

function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
}

/** Text bytes: no NUL, and UTF-8 that decodes (a character cut at the end of a sample is allowed). */
export function looksLikeText(bytes: Uint8Array, complete: boolean): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** Why the object cannot be opened as text, or undefined if it can (`size` from the listing). */
export function whyNotText(key: string, size: number): string | undefined {
  if (size > MAX_TEXT_OBJECT_BYTES) {
    const bytes = (count: number) => count.toLocaleString('en-US');
    return `${key} is ${formatBytes(size)} (${bytes(size)} bytes): only objects up to ${formatBytes(MAX_TEXT_OBJECT_BYTES)} (${bytes(MAX_TEXT_OBJECT_BYTES)} bytes) open in an editor. Download it instead.`;
  }
  if (BINARY_EXTENSIONS.has(extensionOf(key))) return `${key} is not a text file. Download it to open it with a tool for its format.`;
  return undefined;
}

/** The object's text; throws with why if it is too large or not text. */
export async function readTextObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const { GetObjectCommand, HeadObjectCommand } = await loadSdk();
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const refusal = whyNotText(key, head.ContentLength ?? 0);
  if (refusal) throw new Error(refusal);
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = (await Body?.transformToByteArray()) ?? new Uint8Array();
  if (!looksLikeText(bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES)) {
    throw new Error(`${key} is not text (it holds binary data). Download it to open it with a tool for its format.`);
  }
  return new TextDecoder('utf-8').decode(bytes);
}
