/**
 * Runs sandboxed before the page: exposes `window.universeg` (UniversegBridge) and nothing else — no ipcRenderer,
 * no Node. A sandboxed preload can require only 'electron', so the channel names are restated here; the type
 * below makes the compiler hold them equal to core/contract/desktop-bridge.ts.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { channels as bridgeChannels, HostCommand, UniversegBridge } from '../core/contract/desktop-bridge.js' with {
  'resolution-mode': 'import',
};
import type { ApiEvent } from '../core/contract/index.js' with { 'resolution-mode': 'import' };

const channels = {
  invoke: 'universeg:invoke',
  event: 'universeg:event',
  command: 'universeg:command',
  pickStudy: 'universeg:pick-study',
  grantDropped: 'universeg:grant-dropped',
} as const satisfies typeof bridgeChannels;

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const bridge: UniversegBridge = {
  invoke: (method, params) => ipcRenderer.invoke(channels.invoke, method, params),
  onEvent: (listener) => subscribe<ApiEvent>(channels.event, listener),
  onCommand: (listener) => subscribe<HostCommand>(channels.command, listener),
  pickStudy: () => ipcRenderer.invoke(channels.pickStudy),
  // The path is taken here, from the File the drop made: the page never names the path it is granted.
  grantDropped: (file) => ipcRenderer.invoke(channels.grantDropped, webUtils.getPathForFile(file)),
};

contextBridge.exposeInMainWorld('universeg', bridge);
