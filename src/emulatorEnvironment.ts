// The environment the local emulator process is started with: what a program needs to run on this
// machine (PATH, HOME, the locale, TZ, the temporary folder; on Windows the few variables its
// programs need), and not the rest of VS Code's — in particular none of the user's AWS credentials,
// profiles or tokens, which the emulator has no use for and must not hand on to the jobs it runs.
// (The emulator builds each job's environment explicitly too; this keeps the secrets out of its own.)

const ESSENTIALS = new Set(['path', 'home', 'lang', 'language', 'tz', 'tmpdir', 'tmp', 'temp']);
const LOCALE = /^lc_[a-z]+$/i;
const WINDOWS_ESSENTIALS = new Set(['systemroot', 'systemdrive', 'windir', 'comspec', 'pathext', 'userprofile', 'appdata', 'localappdata', 'programdata']);
/** Not secrets: quiets the SDK's notice that its 2027 releases will need Node 22. */
const PASSED_ON = new Set(['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']);

export function emulatorEnvironment(host: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (ESSENTIALS.has(lower) || LOCALE.test(name) || PASSED_ON.has(name) || (platform === 'win32' && WINDOWS_ESSENTIALS.has(lower))) environment[name] = value;
  }
  // VS Code's own runtime runs the emulator as plain Node.
  environment.ELECTRON_RUN_AS_NODE = '1';
  return environment;
}
