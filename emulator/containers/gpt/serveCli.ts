// `node serveCli.js`: the inference container's command. Serves the model in SM_MODEL_DIR (default
// /opt/ml/model) on 127.0.0.1, port SAGEMAKER_BIND_TO_PORT (default 8080, as in SageMaker). The
// emulator may instead name the model.tar.gz itself in SM_EMULATOR_MODEL_ARCHIVE (a path or an
// http(s) URL): it is then loaded as it streams in, with no extracted copy on disk.
import { createModelServer } from './server';

const port = Number(process.env.SAGEMAKER_BIND_TO_PORT ?? 8080);
const archive = process.env.SM_EMULATOR_MODEL_ARCHIVE;
const server = createModelServer({
  ...(archive ? { modelArchive: archive } : { modelDirectory: process.env.SM_MODEL_DIR ?? '/opt/ml/model' }),
  maxConcurrentRequests: 16,
  // A container whose model cannot load exits, so that the platform fails the endpoint with the
  // reason at once rather than after its health-check timeout.
  onLoadFailure: (error) => {
    console.error(`the model failed to load: ${error.message}`);
    process.exit(1);
  },
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
