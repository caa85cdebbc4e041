/**
 * What the preload script exposes to the page as `window.universeg`: the API contract and the few things only the
 * desktop shell can do. Types only, shared by electron/ and renderer/ (never imports electron at runtime).
 */
import type { ApiEvent, ApiMethod, ApiReply } from './index.js';
import type { MenuAction } from './keymap.js';

/** What the shell's menus ask of the page: open a study, or one of the keyboard map's actions. */
export type HostCommand = { type: 'open-study'; path: string } | { type: 'action'; action: MenuAction };

export interface UniversegBridge {
  invoke(method: ApiMethod, params: unknown): Promise<ApiReply>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  onCommand(listener: (command: HostCommand) => void): () => void;
  /** The native open dialog; null when cancelled. */
  pickStudy(): Promise<string | null>;
  /**
   * Opens a file or folder dropped on the window to the engine (the only way, with pickStudy, that a path becomes
   * reachable) and returns its real path; null for anything that is not a dropped file.
   */
  grantDropped(file: File): Promise<string | null>;
}

/** IPC channel names, one place for both ends. */
export const channels = {
  invoke: 'universeg:invoke',
  event: 'universeg:event',
  command: 'universeg:command',
  pickStudy: 'universeg:pick-study',
  grantDropped: 'universeg:grant-dropped',
} as const;
