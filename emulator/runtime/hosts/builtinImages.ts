// The images that ship with the emulator. Each runs with the runtime the emulator itself runs on
// (plain Node or VS Code's Electron as Node), so no other install is needed; python needs python3.
import * as path from 'node:path';
import type { ImageCommand } from './images';

const OWN_RUNTIME = { ELECTRON_RUN_AS_NODE: '1' };

/** `containersDir` holds the built containers: `gpt/trainCli.js`, `gpt/serveCli.js`. */
export function builtinImages(containersDir: string): Record<string, ImageCommand> {
  return {
    // The built-in small GPT (emulator/containers/gpt): trains on the `train` channel, serves the
    // model it trained (TGI and Messages API payloads, streaming).
    'sagemaker-emulator/builtin-gpt': {
      command: [process.execPath, path.join(containersDir, 'gpt', 'trainCli.js')],
      serve: [process.execPath, path.join(containersDir, 'gpt', 'serveCli.js')],
      // Streams model.tar.gz straight into its weights: no extracted copy, loading as it downloads.
      loadsModelArchive: true,
      env: OWN_RUNTIME,
    },
    // The echo model servers (emulator/containers/formats): the last user message answered back,
    // word by word, in the format SM_EMULATOR_FORMAT names (messages, tgi, lmi, jumpstart, custom).
    // No model data needed; they serve only.
    'sagemaker-emulator/format-echo': {
      command: [process.execPath, path.join(containersDir, 'formats', 'serveCli.js')],
      serve: [process.execPath, path.join(containersDir, 'formats', 'serveCli.js')],
      env: OWN_RUNTIME,
    },
    // Script mode with the user's own code: `sagemaker_program` or ContainerEntrypoint says what to
    // run; to serve, SAGEMAKER_PROGRAM in the model's environment.
    'sagemaker-emulator/node': { command: [process.execPath], env: OWN_RUNTIME },
    'sagemaker-emulator/python': { command: ['python3'] },
  };
}
