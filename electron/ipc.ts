import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiReply } from '../core/contract/index.js';
import { channels } from '../core/contract/desktop-bridge.js';

export interface IpcHost {
  /** A contract call, untrusted method and params in, a reply out (the engine's dispatcher, through its relay). */
  dispatch(method: unknown, params: unknown): Promise<ApiReply>;
  /** The native open dialog (main.ts); null when cancelled. */
  pickStudy(): Promise<string | null>;
  /** Allows the engine a path the preload took from a dropped file; its real path, or null for none. */
  grantDropped(path: unknown): Promise<string | null>;
  /** Only our own page may call: a frame from anywhere else (were one ever loaded) gets nothing. */
  isTrustedSender(url: string): boolean;
}

/** The contract over IPC: one channel for every method, so nothing but the contract is reachable. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, host: IpcHost): void {
  ipcMain.handle(channels.invoke, (event, method: unknown, params: unknown) => handleInvoke(host, senderUrl(event), method, params));
  ipcMain.handle(channels.pickStudy, (event) => (host.isTrustedSender(senderUrl(event)) ? host.pickStudy() : null));
  ipcMain.handle(channels.grantDropped, (event, path: unknown) =>
    host.isTrustedSender(senderUrl(event)) ? host.grantDropped(path) : null,
  );
}

/** What `window.universeg.invoke(method, params)` gets back: the dispatcher's reply, errors included as values. */
export async function handleInvoke(host: IpcHost, sender: string, method: unknown, params: unknown): Promise<ApiReply> {
  if (!host.isTrustedSender(sender)) {
    return { ok: false, error: { code: 'forbidden', message: `calls from ${sender || 'an unknown frame'} are not accepted` } };
  }
  return host.dispatch(method, params);
}

function senderUrl(event: IpcMainInvokeEvent): string {
  return event.senderFrame?.url ?? '';
}
