import type { ApiEvent, ApiMethod, ApiReply } from '../../../core/contract/index.js';
import { decodeBody, encodeBody } from '../../../core/contract/codec.js';
import { ApiEventSchema } from '../../../core/contract/events.js';
import { collectDroppedFiles } from './dropped-files.js';
import { callApi } from './api-client.js';
import type { Transport } from './transport.js';

const TOKEN_KEY = 'universeg.token';

/**
 * The browser talking to `universeg serve`. The token comes from the page URL the server printed; it is then kept
 * in sessionStorage and removed from the address bar, so a reload works and a screenshot or bookmark does not
 * carry it.
 */
export function httpTransport(location: Location, history: History, storage: Storage): Transport {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const token = fromUrl ?? storage.getItem(TOKEN_KEY) ?? '';
  const apiBase = new URL('api/', url);

  const transport: Transport = {
    async call(method: ApiMethod, params: unknown): Promise<ApiReply> {
      const { contentType, body } = encodeBody(params);
      let response: Response;
      try {
        response = await fetch(new URL(method, apiBase), {
          method: 'POST',
          headers: { 'Content-Type': contentType, Authorization: `Bearer ${token}` },
          body: body as BodyInit,
        });
      } catch {
        return { ok: false, error: { code: 'internal', message: 'the server does not answer: is `universeg serve` still running?' } };
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const decoded = decodeBody(response.headers.get('Content-Type'), bytes);
      if (response.ok) return { ok: true, value: decoded };
      const error = (decoded as { error?: { code?: string; message?: string } } | undefined)?.error;
      return {
        ok: false,
        error: { code: (error?.code as never) ?? 'internal', message: error?.message ?? `${method} failed: HTTP ${response.status}` },
      };
    },
    onEvent: (listener) => subscribeEvents(apiBase, token, listener),
    onCommand: () => () => undefined,
    async openDropped(items) {
      const { name, files } = await collectDroppedFiles(items);
      return callApi(transport, 'uploadStudy', { name, files });
    },
  };
  return transport;
}

/** One WebSocket for pushed events, reopened after a drop (the server may restart) with a growing pause. */
function subscribeEvents(apiBase: URL, token: string, listener: (event: ApiEvent) => void): () => void {
  const wsUrl = new URL('events', apiBase);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.searchParams.set('token', token);
  let socket: WebSocket | null = null;
  let closed = false;
  let delay = 500;
  const open = () => {
    socket = new WebSocket(wsUrl);
    socket.onopen = () => (delay = 500);
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') listener(ApiEventSchema.parse(JSON.parse(message.data)));
    };
    socket.onclose = () => {
      if (closed) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  open();
  return () => {
    closed = true;
    socket?.close();
  };
}
