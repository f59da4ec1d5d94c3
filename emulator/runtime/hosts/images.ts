// Container images become local commands. Built-in images ship with the emulator; any other image
// (an ECR URI of the user's own or a framework container) maps to a command through a JSON file:
//
//   { "images": { "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-train": { "command": ["python3"], "cwd": "/src" } } }
//
// An image matches by its full URI, its URI without tag or digest, or its repository name.
import { readFile } from 'node:fs/promises';
import type { SandboxSpec } from './hostSandbox';

export interface ImageCommand {
  /** The program and its first arguments, e.g. ["python3"] or [node, "train.js"]. */
  command: string[];
  /**
   * What the image runs to serve a model on an endpoint or for a transform job. Default: `command`
   * with the argument `serve`, as SageMaker starts an inference container (`docker run IMAGE serve`).
   */
  serve?: string[];
  /**
   * The serve command loads a model.tar.gz itself, streamed from the URL the runtime gives it in
   * SM_EMULATOR_MODEL_ARCHIVE, so the runtime does not extract the archive into SM_MODEL_DIR first.
   */
  loadsModelArchive?: boolean;
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
  /** The host's mount namespace (hostSandbox.ts); absent: a plain process. */
  sandbox?: SandboxSpec;
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
      for (const key of ['command', 'serve'] as const) {
        const command = entry[key];
        if (command === undefined && key === 'serve') continue;
        if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string')) {
          throw new Error(`${configFile}: images["${image}"].${key} must be a non-empty array of strings`);
        }
      }
    }
    return new ImageRegistry({ ...builtins, ...config.images });
  }

  /** Every image name that resolves: the built-in ones first, then the user's map. */
  names(): string[] {
    return Object.keys(this.images);
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
 * The command of a container that runs the image's own program (a processing instance, a training
 * host outside script mode): `ContainerEntrypoint` (+ `ContainerArguments`) replaces the image's
 * command; otherwise the image's command with `ContainerArguments`.
 */
export function containerLaunch(image: ImageCommand, container: { ContainerEntrypoint?: string[]; ContainerArguments?: string[] } | undefined): ContainerLaunch {
  const env = { ...image.env };
  const containerArguments = container?.ContainerArguments ?? [];
  if (container?.ContainerEntrypoint?.length) {
    const [command, ...args] = container.ContainerEntrypoint;
    return { command, args: [...args, ...containerArguments], cwd: image.cwd, env };
  }
  const [command, ...imageArgs] = image.command;
  return { command, args: [...imageArgs, ...containerArguments], cwd: image.cwd, env };
}

/**
 * The command for an inference container (endpoint instance, transform job). As SageMaker's framework
 * containers do, `SAGEMAKER_PROGRAM` in the model's environment runs the user's own script with the
 * image's interpreter, from `codeDir` (the model's `code/` folder, or SAGEMAKER_SUBMIT_DIRECTORY);
 * otherwise the image's serve command.
 */
export function servingLaunch(image: ImageCommand, environment: Record<string, string>, codeDir: string | undefined): ContainerLaunch {
  const env = { ...image.env };
  const program = environment.SAGEMAKER_PROGRAM;
  if (program) {
    const [command, ...args] = image.command;
    return { command, args: [...args, program], cwd: codeDir ?? image.cwd, env };
  }
  const [command, ...args] = image.serve ?? [...image.command, 'serve'];
  return { command, args, cwd: image.cwd, env };
}
