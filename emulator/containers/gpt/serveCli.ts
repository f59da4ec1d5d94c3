// `node serveCli.js`: the inference container's command. Serves the model in SM_MODEL_DIR (default
// /opt/ml/model) on 127.0.0.1, port SAGEMAKER_BIND_TO_PORT (default 8080, as in SageMaker).
import { createModelServer } from './server';

const port = Number(process.env.SAGEMAKER_BIND_TO_PORT ?? 8080);
const server = createModelServer({ modelDirectory: process.env.SM_MODEL_DIR ?? '/opt/ml/model', maxConcurrentRequests: 16 });
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
