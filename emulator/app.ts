// The emulator as an Express app, separate from listening (see server.ts) so tests can run it in-process.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import packageJson from '../package.json';
import { toAwsError, unknownOperation } from './errors';
import { type ServiceName, serviceModels } from './models';
import type { RequestContext } from './operations';
import { awsJsonEndpoint, writeJsonError } from './protocols/awsJson';
import type { ServiceEndpoint } from './protocols/endpoint';
import { restJsonEndpoint } from './protocols/restJson';
import { restXmlEndpoint } from './protocols/restXml';
import { resolveRoute } from './routing';
import { s3Operations } from './services/s3';
import { referencedBlobs } from './services/s3/state';
import { sagemakerOperations } from './services/sagemaker';
import { BlobStore } from './store/blobs';
import { Store } from './store/store';

export interface EmulatorOptions {
  /** Where state lives; created if missing, reused across restarts. */
  dataDir: string;
  /** The account of requests whose access key id is not a 12-digit account id. */
  defaultAccountId?: string;
  log?: (line: string) => void;
}

export interface Emulator {
  app: express.Express;
  /** Finishes pending writes and closes the store. Stop the HTTP server first. */
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';

export async function createApp(options: EmulatorOptions): Promise<Emulator> {
  const log = options.log ?? (() => {});
  const defaultAccountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
  const store = await Store.open(join(options.dataDir, 'store'), { log });
  const referenced = referencedBlobs(store);
  const blobs = await BlobStore.open(join(options.dataDir, 'blobs'), (name) => referenced.has(name));

  const endpoints: Record<ServiceName, ServiceEndpoint> = {
    sagemaker: awsJsonEndpoint(serviceModels.sagemaker, sagemakerOperations),
    'sagemaker-runtime': restJsonEndpoint(serviceModels['sagemaker-runtime']),
    s3: restXmlEndpoint(serviceModels.s3, s3Operations),
    logs: awsJsonEndpoint(serviceModels.logs, {}),
    'application-autoscaling': awsJsonEndpoint(serviceModels['application-autoscaling'], {}),
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const route = resolveRoute(request, defaultAccountId);
    if (route.kind === 'emulator') {
      serveControl(route.path, response);
      return;
    }
    if (route.kind === 'unknownTarget') {
      writeJsonError(response, unknownOperation(route.target), requestId);
      return;
    }
    const context: RequestContext = {
      requestId,
      accountId: route.accountId,
      region: route.region,
      store,
      blobs,
      now: () => new Date(),
      log: (line) => log(`${requestId} ${route.service}: ${line}`),
    };
    const endpoint = endpoints[route.service];
    try {
      await endpoint.handle(request, response, context);
    } catch (error) {
      endpoint.writeError(error, request, response, context);
    } finally {
      discardUnreadBody(request);
    }
  }

  const app = express();
  app.disable('x-powered-by');
  // Express must not answer conditional requests on its own (S3 does that for objects).
  app.set('etag', false);
  // One handler for everything: Express's own 404 page is never reached.
  app.use((request, response) => {
    serve(request, response).catch((error: unknown) => {
      writeJsonError(response, toAwsError(error, 'InternalFailure', log), randomUUID());
    });
  });
  // Nor is its HTML error page, should Express itself throw.
  app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    writeJsonError(response, toAwsError(error, 'InternalFailure', log), randomUUID());
  });

  return { app, close: () => store.close() };
}

/**
 * A handler that failed before reading the whole body leaves it paused, which would stall the
 * keep-alive connection; read and drop the rest so the connection can serve the next request.
 */
function discardUnreadBody(request: IncomingMessage): void {
  if (request.readableEnded) return;
  request.unpipe();
  request.resume();
}

/** Emulator-only controls under `/_emulator/`. */
function serveControl(path: string, response: ServerResponse): void {
  if (path === '/_emulator/health') writeControlResponse(response, 200, { status: 'ok', version: packageJson.version });
  else writeControlResponse(response, 404, { message: `No emulator control at ${path}` });
}

function writeControlResponse(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
