// Container images become local commands. Built-in images ship with the emulator; any other image
// (an ECR URI of the user's own or a framework container) maps to a command through a JSON file:
//
//   { "images": { "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-train": { "command": ["python3"], "cwd": "/src" } } }
//
// An image matches by its full URI, its URI without tag or digest, or its repository name.
import type { AlgorithmSpecification } from '@aws-sdk/client-sagemaker';
import { readFile } from 'node:fs/promises';

export interface ImageCommand {
  /** The program and its first arguments, e.g. ["python3"] or [node, "train.js"]. */
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface ImageConfig {
  images: Record<string, ImageCommand>;
}

/** What to run for one host, after script mode and entrypoint overrides are applied. */
export interface ContainerLaunch {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
}

export class ImageNotFound extends Error {}

export class ImageRegistry {
  constructor(private readonly images: Readonly<Record<string, ImageCommand>>) {}

  /** Reads the user's image map; a missing file is an empty map, a malformed one a clear error. */
  static async load(builtins: Record<string, ImageCommand>, configFile: string | undefined): Promise<ImageRegistry> {
    if (!configFile) return new ImageRegistry(builtins);
    let text: string;
    try {
      text = await readFile(configFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ImageRegistry(builtins);
      throw error;
    }
    const config = JSON.parse(text) as Partial<ImageConfig>;
    for (const [image, entry] of Object.entries(config.images ?? {})) {
      if (!Array.isArray(entry.command) || entry.command.length === 0 || !entry.command.every((part) => typeof part === 'string')) {
        throw new Error(`${configFile}: images["${image}"].command must be a non-empty array of strings`);
      }
    }
    return new ImageRegistry({ ...builtins, ...config.images });
  }

  resolve(image: string): ImageCommand {
    const withoutTag = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');
    const repository = withoutTag.slice(withoutTag.lastIndexOf('/') + 1);
    const found = this.images[image] ?? this.images[withoutTag] ?? this.images[repository];
    if (!found) {
      throw new ImageNotFound(
        `The image ${image} is not mapped to a local command. Add it to the emulator's image map (--images FILE) or use a built-in image: ${Object.keys(this.images).join(', ')}.`,
      );
    }
    return found;
  }
}

/**
 * The command for a training host, as the container would run it:
 * - `ContainerEntrypoint` (+ `ContainerArguments`) replaces the image's command;
 * - script mode (the `sagemaker_program` hyperparameter the SageMaker Python SDK sets) runs the
 *   program from the code folder with the other hyperparameters as `--name value` arguments, as
 *   sagemaker-training-toolkit does;
 * - otherwise the image's command with `ContainerArguments`.
 */
export function containerLaunch(
  image: ImageCommand,
  algorithm: AlgorithmSpecification | undefined,
  hyperParameters: Record<string, string>,
  codeDir: string | undefined,
): ContainerLaunch {
  const env = { ...image.env };
  const containerArguments = algorithm?.ContainerArguments ?? [];
  if (algorithm?.ContainerEntrypoint?.length) {
    const [command, ...args] = algorithm.ContainerEntrypoint;
    return { command, args: [...args, ...containerArguments], cwd: codeDir ?? image.cwd, env };
  }
  const [command, ...imageArgs] = image.command;
  const program = hyperParameters.sagemaker_program;
  if (program) {
    const userArguments = Object.entries(hyperParameters)
      .filter(([name]) => !name.startsWith('sagemaker_'))
      .flatMap(([name, value]) => [`--${name}`, value]);
    return { command, args: [...imageArgs, program, ...userArguments], cwd: codeDir ?? image.cwd, env };
  }
  return { command, args: [...imageArgs, ...containerArguments], cwd: image.cwd, env };
}
