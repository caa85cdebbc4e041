import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiErrorBody, ApiErrorCode, ApiReply } from '../api.js';
import { decodeBody, encodeBody, JSON_TYPE } from '../api/codec.js';
import type { Dispatch } from '../api/dispatch.js';
import type { ApiEvents } from '../api/events.js';
import { attachEventSocket } from './event-socket.js';
import { COMMON_HEADERS } from './headers.js';
import { serveStatic } from './static-files.js';
import { requestUrl } from './request-url.js';
import { requestToken, tokenMatches } from './token.js';

export interface HttpHostOptions {
  dispatch: Dispatch;
  events: ApiEvents;
  token: string;
  /** The built renderer (renderer/dist), or null when it is not built. */
  staticDir: string | null;
  /** Uploads of whole DICOM folders are large; anything bigger than this is refused before it fills memory. */
  maxBodyBytes?: number;
}

const STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  internal: 500,
};

const DEFAULT_MAX_BODY = 1 << 30;

/**
 * The contract over HTTP: POST /api/<method> with the params as the body (JSON, or a frame when they hold typed
 * arrays), GET /api/health, a WebSocket at /api/events for job progress; everything else is the viewer's files.
 * Every /api/ request needs the token.
 */
export interface HttpHost {
  server: Server;
  /** Stops accepting, drops open connections and sockets; resolves once the port is free. */
  close(): Promise<void>;
}

export function createHttpHost(options: HttpHostOptions): HttpHost {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, { code: 'internal', message: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  const closeSockets = attachEventSocket(server, options.events, options.token);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) {
      req.resume();
      return sendError(res, { code: 'bad-request', message: 'the request target is not a URL' });
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, { code: 'bad-request', message: `${req.method} is not allowed here` }, 405);
      return serveStatic(options.staticDir, url.pathname, res, req.method === 'HEAD');
    }
    if (!tokenMatches(requestToken(req, url), options.token)) {
      req.resume();
      return sendError(res, { code: 'unauthorized', message: 'missing or wrong token: open the URL that `universeg serve` printed' });
    }
    const method = url.pathname.slice('/api/'.length);
    if (req.method === 'GET' && method === 'health') return sendReply(res, await options.dispatch('health', {}));
    if (req.method !== 'POST') {
      req.resume();
      return sendError(res, { code: 'bad-request', message: `use POST /api/${method}` }, 405);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      req.resume();
      return sendError(res, { code: 'bad-request', message: `request of ${declared} bytes exceeds the limit of ${maxBody}` }, 413);
    }
    const body = await readBody(req, maxBody);
    if (body === null) return sendError(res, { code: 'bad-request', message: `request exceeds the limit of ${maxBody} bytes` }, 413);
    let params: unknown;
    try {
      params = decodeBody(req.headers['content-type'] ?? JSON_TYPE, body);
    } catch (err) {
      return sendError(res, { code: 'bad-request', message: `${method}: ${(err as Error).message}` });
    }
    sendReply(res, await options.dispatch(method, params));
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

function sendReply(res: ServerResponse, reply: ApiReply): void {
  if (!reply.ok) return sendError(res, reply.error);
  const { contentType, body } = encodeBody(reply.value);
  res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendError(res: ServerResponse, error: ApiErrorBody, status = STATUS[error.code]): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

/** The whole body, or null as soon as it grows past `limit` (the rest is discarded, not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) tooBig = true;
      if (!tooBig) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}
