import type { UniversegBridge } from '../../../core/contract/desktop-bridge.js';
import { createApiClient } from './api-client.js';
import { httpTransport } from './http-transport.js';
import { ipcTransport } from './ipc-transport.js';
import type { Transport } from './transport.js';

declare global {
  interface Window {
    universeg?: UniversegBridge;
  }
}

/** The one place that decides between Electron IPC and HTTP. */
export const transport: Transport = window.universeg
  ? ipcTransport(window.universeg)
  : httpTransport(window.location, window.history, window.sessionStorage);

export const api = createApiClient(transport);
export { ApiCallError } from './api-client.js';
