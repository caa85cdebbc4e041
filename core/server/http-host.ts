import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { ApiErrorBody, ApiReply } from '../contract/index.js';
import { decodeBody, FRAME_TYPE, JSON_TYPE } from '../contract/codec.js';
import type { Dispatch } from '../engine/dispatch.js';
import type { ApiEvents } from '../engine/event-bus.js';
import { Budget } from './budget.js';
import { attachEventSocket } from './event-socket.js';
import { checkHost, checkOrigin } from './host-check.js';
import { bodyLimit, DEFAULT_LIMITS, type HostLimits } from './limits.js';
import { genericFault, logFault, publicError, publicReply, type FaultLog } from './public-error.js';
import { refuse, sendError, sendReply } from './replies.js';
import { LimitedBody, readLimitedBody } from './request-body.js';
import { requestUrl } from './request-url.js';
import { serveStatic } from './static-files.js';
import { requestToken, tokenMatches } from './token.js';

export interface HttpHostOptions {
  dispatch: Dispatch;
  events: ApiEvents;
  token: string;
  /** The built renderer (renderer/dist), or null when it is not built. */
  staticDir: string | null;
  /** uploadStudy from its frame as a stream, which never sits whole in memory (see UploadArea.receive). */
  receiveUpload(frame: Readable): Promise<ApiReply>;
  /** The folder the user serves (as given and real): paths under it may appear in error and job messages, temp paths not. */
  userFolders: readonly string[];
  /** Where faults are logged with their id (default: stderr). */
  log?: FaultLog;
  limits?: Partial<HostLimits>;
}

/**
 * The contract over HTTP: POST /api/<method> with the params as the body (JSON, or a frame when they hold typed
 * arrays), GET /api/health, a WebSocket at /api/events for job progress; everything else is the viewer's files.
 * Every request must name us as its Host; every /api/ request needs the token, every POST our Origin or none.
 */
export interface HttpHost {
  server: Server;
  /** Stops accepting, drops open connections and sockets; resolves once the port is free. */
  close(): Promise<void>;
}

export function createHttpHost(options: HttpHostOptions): HttpHost {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const inFlight = new Budget(limits.inFlightBodyBytes);
  const uploads = new Budget(limits.concurrentUploads);
  // Node checks its header and request timeouts on this interval (30 s by default): a slow client would outlive them.
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs) }, (req, res) => {
    // A client that resets mid-request must cost us that request only.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, genericFault(logFault(log, `${req.method} ${req.url}`, err)));
    });
  });
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Past listen(), an error here (EMFILE on accept, say) is about one connection, not a reason to stop serving.
  server.on('error', (err) => logFault(log, 'server', err));
  const port = () => (server.address() as AddressInfo).port;
  const closeSockets = attachEventSocket(server, options.events, options.token, port, log, options.userFolders);
  const sendFailure = (res: ServerResponse, error: ApiErrorBody) => sendError(res, publicError(error, options.userFolders));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const wrongHost = checkHost(req, port());
    if (wrongHost) return refuse(req, res, wrongHost);
    const url = requestUrl(req);
    if (!url) return refuse(req, res, { status: 400, message: 'the request target is not a URL' });
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return refuse(req, res, { status: 405, message: `${req.method} is not allowed here` });
      return serveStatic(options.staticDir, url.pathname, res, req.method === 'HEAD');
    }
    if (!tokenMatches(requestToken(req, url), options.token)) {
      return refuse(req, res, { status: 401, message: 'missing or wrong token: open the URL that `universeg serve` printed' });
    }
    const method = url.pathname.slice('/api/'.length);
    if (req.method === 'GET' && method === 'health') return sendReply(res, await options.dispatch('health', {}));
    if (req.method !== 'POST') return refuse(req, res, { status: 405, message: `use POST /api/${method}` });
    const foreign = checkOrigin(req, port());
    if (foreign) return refuse(req, res, foreign);
    const contentType = req.headers['content-type'] ?? JSON_TYPE;
    if (method === 'uploadStudy' && contentType.split(';')[0]!.trim().toLowerCase() === FRAME_TYPE) return upload(req, res);

    const limit = bodyLimit(method, limits);
    const declared = declaredLength(req);
    if (declared > limit)
      return refuse(req, res, { status: 413, message: `${method}: a body of ${declared} bytes passes the limit of ${limit}` });
    const release = inFlight.take(declared || limit);
    if (!release) return refuse(req, res, busy('the server is holding as much request data as it may'), { 'Retry-After': '1' });
    try {
      const body = new LimitedBody(req, limit, limits.bodyTimeoutMs);
      const bytes = await readLimitedBody(body).catch(() => null);
      if (!bytes) return refuse(req, res, body.refusal ?? { status: 400, message: 'the request was cut off' });
      let params: unknown;
      try {
        params = decodeBody(contentType, bytes);
      } catch (err) {
        return sendFailure(res, { code: 'bad-request', message: `${method}: ${(err as Error).message}` });
      }
      const reply = await options.dispatch(method, params);
      return reply.ok ? sendReply(res, publicReply(method, reply, options.userFolders)) : sendFailure(res, reply.error);
    } finally {
      release();
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = declaredLength(req);
    if (declared > limits.uploadBodyBytes) {
      return refuse(req, res, {
        status: 413,
        message: `an upload of ${declared} bytes passes the limit of ${limits.uploadBodyBytes}: open studies this large by path`,
      });
    }
    const release = uploads.take(1);
    if (!release) return refuse(req, res, busy('another upload is under way'), { 'Retry-After': '5' });
    try {
      const body = new LimitedBody(req, limits.uploadBodyBytes, limits.requestTimeoutMs);
      const reply = await options.receiveUpload(body);
      if (body.refusal) return refuse(req, res, body.refusal);
      return reply.ok ? sendReply(res, reply) : sendFailure(res, reply.error);
    } finally {
      release();
    }
  }

  return {
    server,
    close() {
      closeSockets();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Content-Length, or 0 for a chunked body (Node has already refused a malformed one with a 400). */
function declaredLength(req: IncomingMessage): number {
  return Number(req.headers['content-length'] ?? 0);
}

function busy(why: string) {
  return { status: 503, message: `${why}: try again in a moment` };
}
