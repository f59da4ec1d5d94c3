// The emulator as an Express app, separate from listening (see server.ts) so tests can run it in-process.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import express from 'express';
import { JSON_AUTH_ERRORS, authErrors } from './auth/errors';
import { IssuedCredentials } from './auth/issuedCredentials';
import { type LocalCredentials, SignatureVerifier } from './auth/signatureV4';
import { toAwsError, unknownOperation } from './errors';
import { corsHeaders, FrontDoor, type FrontDoorOptions, isPreflight } from './frontDoor';
import { type ServiceName, serviceModels } from './models';
import type { RequestContext } from './operations';
import { createRuntimes, type RuntimeOptions } from './runtimeWiring';
import { serveControl, writeControlError } from './controls';
import { Faults } from './faults/faults';
import { sagemakerRuntimeOperations } from './services/sagemaker-runtime';
import { awsJsonEndpoint, writeJsonError } from './protocols/awsJson';
import type { ServiceEndpoint } from './protocols/endpoint';
import { restJsonEndpoint } from './protocols/restJson';
import { restXmlEndpoint } from './protocols/restXml';
import { resolveRoute } from './routing';
import { applicationAutoScalingOperations } from './services/application-autoscaling';
import { cloudwatchOperations } from './services/cloudwatch';
import { awsJsonOrQueryEndpoint } from './protocols/queryCompatible';
import { awsQueryEndpoint } from './protocols/awsQuery';
import { writeUnknownServiceError } from './protocols/unknownService';
import { stsOperations } from './services/sts';
import { logsOperations } from './services/logs';
import { s3Operations } from './services/s3';
import { checkRequiredChecksum } from './services/s3/objectBodies';
import { referencedBlobs } from './services/s3/state';
import { sagemakerOperations } from './services/sagemaker';
import { BlobStore } from './store/blobs';
import { StorageHealth } from './store/storageHealth';
import { Store } from './store/store';

export interface EmulatorOptions {
  /** Where state lives; created if missing, reused across restarts. */
  dataDir: string;
  /** The account of requests whose access key id is not a 12-digit account id. */
  defaultAccountId?: string;
  /** Verify SigV4 signatures, accepting only these credentials; absent: any signature, or none, is accepted. */
  verifySignatures?: readonly LocalCredentials[];
  /** Which hosts it answers requests for and which web origins may call it (frontDoor.ts); default: loopback names, no web pages. */
  frontDoor?: FrontDoorOptions;
  /** How jobs run; defaults suit interactive use. */
  runtime?: RuntimeOptions;
  log?: (line: string) => void;
  /** What `POST /_emulator/shutdown` does: the CLI stops as on SIGTERM; absent, the control refuses. */
  onShutdownRequest?: () => void;
}

export interface Emulator {
  app: express.Express;
  /** Once the server listens at `url`: runs jobs and endpoints, resuming what a restart interrupted. */
  start(url: string): Promise<void>;
  /** Ends running processes (jobs and endpoints keep their status), finishes pending writes, closes the store. */
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';

export async function createApp(options: EmulatorOptions): Promise<Emulator> {
  const log = options.log ?? (() => {});
  const defaultAccountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
  const storeDir = join(options.dataDir, 'store');
  const health = new StorageHealth(storeDir);
  const store = await Store.open(storeDir, { log, health });
  const referenced = referencedBlobs(store);
  const blobs = await BlobStore.open(join(options.dataDir, 'blobs'), (name) => referenced.has(name), health);
  const issued = new IssuedCredentials();
  const signatures = options.verifySignatures && new SignatureVerifier(options.verifySignatures, issued);
  const { runtimes, ...running } = await createRuntimes(options.dataDir, store, options.runtime ?? {}, issued, log);
  // Not kept across restarts (faults/faults.ts says why).
  const faults = new Faults({ runtimes, defaultAccountId, log });
  const frontDoor = new FrontDoor(options.frontDoor);

  const endpoints: Record<ServiceName, ServiceEndpoint> = {
    sagemaker: awsJsonEndpoint(serviceModels.sagemaker, sagemakerOperations),
    'sagemaker-runtime': restJsonEndpoint(serviceModels['sagemaker-runtime'], sagemakerRuntimeOperations),
    s3: restXmlEndpoint(serviceModels.s3, s3Operations, checkRequiredChecksum, signatures),
    logs: awsJsonEndpoint(serviceModels.logs, logsOperations),
    'application-autoscaling': awsJsonEndpoint(serviceModels['application-autoscaling'], applicationAutoScalingOperations),
    cloudwatch: awsJsonOrQueryEndpoint(serviceModels.cloudwatch, cloudwatchOperations),
    sts: awsQueryEndpoint(serviceModels.sts, stsOperations),
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const route = resolveRoute(request, defaultAccountId);
    const admission = frontDoor.admit(request.headers);
    if (admission.admitted && admission.corsOrigin) {
      const preflight = isPreflight(request.method, request.headers);
      for (const [name, value] of Object.entries(corsHeaders(admission.corsOrigin, preflight ? request.headers : undefined))) response.setHeader(name, value);
      if (preflight) {
        response.writeHead(204).end();
        return;
      }
    }
    if (route.kind === 'emulator') {
      try {
        if (!admission.admitted) writeControlError(response, JSON_AUTH_ERRORS.forbidden(admission.reason));
        else {
          await serveControl(route.path, request, response, {
            faults,
            runtimes,
            health,
            signatures,
            dataDir: resolve(options.dataDir),
            shutdown: options.onShutdownRequest,
          });
        }
      } finally {
        discardUnreadBody(request);
      }
      return;
    }
    if (route.kind === 'unknownTarget') {
      writeJsonError(response, admission.admitted ? unknownOperation(route.target) : JSON_AUTH_ERRORS.forbidden(admission.reason), requestId);
      return;
    }
    if (route.kind === 'unknownService') {
      try {
        // A request the front door refuses is refused in that service's protocol too.
        await writeUnknownServiceError(request, response, route.signingName, requestId, admission.admitted ? undefined : JSON_AUTH_ERRORS.forbidden(admission.reason));
      } finally {
        discardUnreadBody(request);
      }
      return;
    }
    const service = route.service;
    const context: RequestContext = {
      requestId,
      accountId: route.accountId,
      region: route.region,
      accessKeyId: route.accessKeyId,
      // Its own session: the response waits for (only) the writes it saw, and fails if one is taken back.
      store: store.session(),
      blobs,
      runtimes,
      beforeOperation: (operation, input) => faults.beforeOperation(service, operation, input),
      now: () => new Date(),
      log: (line) => log(`${requestId} ${route.service}: ${line}`),
    };
    const endpoint = endpoints[route.service];
    try {
      if (!admission.admitted) throw authErrors(serviceModels[route.service]).forbidden(admission.reason);
      await signatures?.verify(request, route.service);
      await endpoint.handle(request, response, context);
    } catch (error) {
      await receiveRestOfBody(request);
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

  return {
    app,
    start: (url) => running.start(url),
    async close() {
      await running.close();
      await store.close();
    },
  };
}

/** Above this, an error is answered at once, the rest of the body unread. */
const MAX_BODY_RECEIVED_BEFORE_ERROR = 64 * 1024 * 1024;

/**
 * Reads and drops what is left of a body (up to 64 MiB) before an error is answered. A client that
 * asked `Expect: 100-continue` was told to go on by Node before any handler ran, and sends its body
 * (the SDK's S3 uploads: a connection that closes after the answer): answered mid-body, the
 * connection closes under its write (EPIPE) and the client may see that instead of the error. S3
 * itself answers such an error before saying 100 Continue, so no body is sent.
 */
async function receiveRestOfBody(request: IncomingMessage): Promise<void> {
  const length = Number(request.headers['content-length']);
  if (request.readableEnded || !(length <= MAX_BODY_RECEIVED_BEFORE_ERROR)) return;
  request.unpipe();
  request.resume();
  await finished(request).catch(() => undefined); // a client gone meanwhile is not answered anyway
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

