import type { UniversegBridge } from '../../../core/contract/desktop-bridge.js';
import { callApi } from './api-client.js';
import type { Transport } from './transport.js';

/** Inside Electron: the preload's bridge carries calls over IPC; dropped files have real paths there. */
export function ipcTransport(bridge: UniversegBridge): Transport {
  const transport: Transport = {
    call: (method, params) => bridge.invoke(method, params),
    onEvent: (listener) => bridge.onEvent(listener),
    onCommand: (listener) => bridge.onCommand(listener),
    async openDropped(items) {
      const file = items.files[0];
      if (!file) throw new Error('nothing was dropped');
      const path = await bridge.grantDropped(file);
      if (!path) throw new Error(`${file.name} cannot be opened from here: open it with File > Open`);
      return callApi(transport, 'openStudy', { path });
    },
    pickStudy: () => bridge.pickStudy(),
  };
  return transport;
}
