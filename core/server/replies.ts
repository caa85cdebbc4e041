import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody, ApiErrorCode, ApiReply } from '../contract/index.js';
import { encodeBody, JSON_TYPE } from '../contract/codec.js';
import { COMMON_HEADERS } from './headers.js';
import type { Refusal } from './host-check.js';

const STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  internal: 500,
};

export function sendReply(res: ServerResponse, reply: ApiReply): void {
  if (!reply.ok) return sendError(res, reply.error);
  const { contentType, body } = encodeBody(reply.value);
  res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

export function sendError(res: ServerResponse, error: ApiErrorBody, status = STATUS[error.code], extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...extra,
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const REFUSAL_CODE: Record<number, ApiErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 503: 'internal' };

/**
 * Answers a request whose body we will not read (a wrong Host, no token, too large, too slow) and ends the
 * connection: draining an unwanted body would cost what the refusal saves, and a client we refuse keeps no socket.
 * The close waits for the answer to be sent, and a moment more for the client to read it.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
  req.pause();
  res.once('finish', () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  });
  sendError(res, { code: REFUSAL_CODE[refusal.status] ?? 'bad-request', message: refusal.message }, refusal.status, {
    ...extra,
    Connection: 'close',
  });
}
