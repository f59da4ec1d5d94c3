// Bundles: the extension (Node, `vscode` external), the emulator (one file that runs with plain
// `node` and with VS Code's runtime), the `sagemaker-workbench` CLI, the built-in containers and the
// webviews (browser). Everything the extension, the emulator and the CLI need is inside their
// bundle, so the .vsix ships no node_modules.
'use strict';
const path = require('path');
const webpack = require('webpack');

const typescript = {
  test: /\.ts$/,
  exclude: /node_modules/,
  loader: 'esbuild-loader',
  options: { target: 'es2022' },
};

/** Copies files into the compilation's output (e.g. a bundled library's stylesheet), as emitted assets. */
function copyFiles(files) {
  return {
    apply(compiler) {
      compiler.hooks.thisCompilation.tap('copyFiles', (compilation) => {
        compilation.hooks.processAssets.tap({ name: 'copyFiles', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
          for (const [from, to] of Object.entries(files)) {
            compilation.fileDependencies.add(from);
            compilation.emitAsset(to, new webpack.sources.RawSource(require('fs').readFileSync(from)));
          }
        });
      });
    },
  };
}

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration[]} */
module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  const common = {
    mode: production ? 'production' : 'development',
    devtool: production ? false : 'source-map',
    module: { rules: [typescript] },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
  const node = {
    ...common,
    target: 'node20',
    node: { __dirname: false, __filename: false },
    resolve: {
      extensions: ['.ts', '.js'],
      // The AWS SDK's ESM entry tree-shakes; its CJS entry drags every command along.
      mainFields: ['module', 'main'],
      conditionNames: ['import', 'module', 'require', 'node', 'default'],
    },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
  };
  return [
    {
      ...node,
      name: 'extension',
      entry: { extension: './src/extension.ts' },
      // The SDK loads credential providers on demand; they become chunks loaded only when used.
      output: { ...node.output, chunkFilename: 'extension.[id].js' },
      externals: { vscode: 'commonjs vscode' },
    },
    {
      ...node,
      name: 'emulator',
      entry: { emulator: './emulator/cli.ts' },
      output: { ...node.output, chunkFilename: 'emulator.[id].js' },
      plugins: [
        new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true }),
        // One file: the SDK's lazily loaded credential providers are inlined rather than split off.
        new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      ],
      // Express resolves view engines with dynamic requires it never reaches here.
      ignoreWarnings: [{ module: /node_modules\/express\/lib\/view\.js/ }],
    },
    {
      ...node,
      name: 'cli',
      // `sagemaker-workbench` (package.json bin): the prompt-test runner for CI. A CI job starts it on
      // every run, so what is loaded on demand stays in chunks read only when needed: the command's
      // modules, and the SDK's credential providers (SSO, STS, INI files, …) that the emulator's
      // fixed credentials never reach.
      entry: { workbench: './src/cli/main.ts' },
      output: { ...node.output, chunkFilename: 'workbench.[id].js' },
      plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
    },
    {
      ...node,
      name: 'libraries',
      // The libraries only some features use, each its own file that the extension and the CLI read
      // on that feature's first use (src/pipeline/libraries.ts), so that neither loads them at its
      // start. Built from each library's CommonJS entry: the file exports what Node's own require of
      // the package returns, as the tests (run from tsc's output) see it — but jsonc-parser's, a UMD
      // file whose requires webpack cannot follow: its ES module has the same named exports.
      entry: {
        ...Object.fromEntries(['yaml', 'js-yaml', 'ajv', 'markdown-it'].map((name) => [`lib/${name}`, name])),
        'lib/jsonc-parser': 'jsonc-parser/lib/esm/main.js',
      },
      resolve: { extensions: ['.js'], mainFields: ['main'], conditionNames: ['require', 'node', 'default'] },
    },
    {
      ...node,
      name: 'containers',
      // The built-in containers run as their own processes (and worker threads), started by the
      // emulator's runtime with the same Node it runs on.
      entry: {
        'gpt/trainCli': './emulator/containers/gpt/trainCli.ts',
        'gpt/serveCli': './emulator/containers/gpt/serveCli.ts',
        'gpt/dataParallelWorker': './emulator/containers/gpt/dataParallelWorker.ts',
        'gpt/servingThread': './emulator/containers/gpt/servingThread.ts',
        'formats/serveCli': './emulator/containers/formats/serveCli.ts',
      },
      output: { ...node.output, path: path.resolve(__dirname, 'dist', 'containers') },
    },
    {
      ...common,
      name: 'webview',
      target: 'web',
      entry: { trainingJob: './webview/trainingJob/main.ts', compareJobs: './webview/compareJobs/main.ts', chat: './webview/chat/main.ts' },
      resolve: { extensions: ['.ts', '.js'] },
      output: { path: path.resolve(__dirname, 'dist', 'webview'), filename: '[name].js' },
      plugins: [copyFiles({ [require.resolve('uplot/dist/uPlot.min.css')]: 'uPlot.min.css' })],
    },
  ];
};
