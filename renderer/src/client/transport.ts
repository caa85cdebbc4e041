import type { ApiEvent, ApiMethod, ApiReply, Study } from '../../../core/contract/index.js';
import type { HostCommand } from '../../../core/contract/desktop-bridge.js';

/**
 * How the client reaches the engine: Electron IPC or HTTP/WebSocket. Only client/ knows which one is in use;
 * the rest of the renderer sees the features below, present or absent.
 */
export interface Transport {
  call(method: ApiMethod, params: unknown): Promise<ApiReply>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Menu commands from a native shell; a browser has none. */
  onCommand(listener: (command: HostCommand) => void): () => void;
  /** Opens what the user dropped on the window: by path where the shell knows paths, else by uploading it. */
  openDropped(items: DataTransfer): Promise<Study>;
  /** A native "open" dialog, where there is one. */
  pickStudy?: () => Promise<string | null>;
}
