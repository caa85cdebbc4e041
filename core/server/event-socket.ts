import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents } from '../api/events.js';
import { COMMON_HEADERS } from './headers.js';
import { requestUrl } from './request-url.js';
import { requestToken, tokenMatches } from './token.js';

/**
 * WebSocket at /api/events: every ApiEvent goes to every client holding the token, as one JSON text message.
 * Returns the function that closes every socket and stops listening to the bus.
 */
export function attachEventSocket(server: Server, events: ApiEvents, token: string): () => void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    // A client that resets the connection must not take the server with it.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const reject = (status: string, message: string) => {
      const headers = Object.entries(COMMON_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${status}\r\n${headers}Content-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
    };
    if (!url) return reject('400 Bad Request', 'the request target is not a URL');
    if (url.pathname !== '/api/events') return reject('404 Not Found', 'no WebSocket here');
    if (!tokenMatches(requestToken(req, url), token)) return reject('401 Unauthorized', 'missing or wrong token');
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
    const text = JSON.stringify(event);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  return () => {
    unsubscribe();
    for (const ws of clients) ws.terminate();
    sockets.close();
  };
}
