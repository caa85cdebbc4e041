import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents } from '../engine/event-bus.js';
import { COMMON_HEADERS } from './headers.js';
import { checkHost, checkOrigin } from './host-check.js';
import { logFault, publicEvent, type FaultLog } from './public-error.js';
import { requestUrl } from './request-url.js';
import { requestToken, tokenMatches } from './token.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
};

/**
 * WebSocket at /api/events: every ApiEvent goes to every client holding the token, as one JSON text message, with
 * job messages scrubbed as error replies are (temp paths, itk pointers; paths under `userFolders` stay).
 * Returns the function that closes every socket and stops listening to the bus.
 */
export function attachEventSocket(
  server: Server,
  events: ApiEvents,
  token: string,
  port: () => number,
  log: FaultLog,
  userFolders: readonly string[],
): () => void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  sockets.on('error', (err) => logFault(log, 'event socket', err));
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    // A client that resets the connection must not take the server with it.
    socket.on('error', () => socket.destroy());
    const reject = (status: number, message: string) => {
      const headers = Object.entries(COMMON_HEADERS)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\n${headers}Content-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
    };
    // A page on another site may open a WebSocket to us from the user's browser: its Origin gives it away.
    const refusal = checkHost(req, port()) ?? checkOrigin(req, port());
    if (refusal) return reject(refusal.status, refusal.message);
    const url = requestUrl(req);
    if (!url) return reject(400, 'the request target is not a URL');
    if (url.pathname !== '/api/events') return reject(404, 'no WebSocket here');
    if (!tokenMatches(requestToken(req, url), token)) return reject(401, 'missing or wrong token');
    sockets.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      // A frame over maxPayload or of invalid UTF-8 is an error on this socket only: drop the client.
      ws.on('error', () => ws.terminate());
      // The channel is one-way; a client that talks is ignored rather than trusted.
      ws.on('message', () => undefined);
    });
  });

  const unsubscribe = events.subscribe((event) => {
    const text = JSON.stringify(publicEvent(event, userFolders));
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  return () => {
    unsubscribe();
    for (const ws of clients) ws.terminate();
    sockets.close();
  };
}
