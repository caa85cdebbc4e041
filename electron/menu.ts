import type { MenuItemConstructorOptions } from 'electron';
import type { RecentStudy } from '../core/contract/index.js';
import type { HostCommand, MenuAction } from './bridge.js';

export interface MenuHandlers {
  openFolder(): void;
  openFile(): void;
  send(command: HostCommand): void;
}

/**
 * The application menu. View items carry the same accelerators as the renderer's keyboard map, shown for
 * discoverability; `registerAccelerator: false` leaves the keys to the page, so they work the same in a browser.
 */
export function menuTemplate(handlers: MenuHandlers, recent: RecentStudy[], isMac: boolean): MenuItemConstructorOptions[] {
  const action = (label: string, name: MenuAction, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => handlers.send({ type: 'action', action: name }),
  });
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Study Folder…', accelerator: 'CmdOrCtrl+O', click: handlers.openFolder },
        { label: 'Open Image File…', accelerator: 'CmdOrCtrl+Shift+O', click: handlers.openFile },
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => handlers.send({ type: 'open-study', path: r.path }) })),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        action('Undo', 'undo', 'CmdOrCtrl+Z'),
        action('Redo', 'redo', 'CmdOrCtrl+Y'),
        { type: 'separator' },
        // Text fields (label names, paths) need the clipboard roles, macOS most of all.
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&Segmentation',
      submenu: [
        action('Mark or Unmark Slice as Support', 'toggle-support', 'M'),
        action('Propagate', 'propagate', 'CmdOrCtrl+Enter'),
        { type: 'separator' },
        action('Next Slice to Review', 'next-review', '.'),
        action('Accept and Go to Next', 'accept-next', 'Y'),
        action('Show or Hide Uncertainty', 'toggle-uncertainty', 'U'),
      ],
    },
    {
      label: '&View',
      submenu: [
        action('Axial', 'view-axial', '1'),
        action('Coronal', 'view-coronal', '2'),
        action('Sagittal', 'view-sagittal', '3'),
        { type: 'separator' },
        action('Fit and Reset Window/Level', 'reset-view', 'R'),
        action('Show or Hide Labels', 'toggle-overlay', 'L'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Help', submenu: [action('Keyboard and Mouse', 'show-help', 'F1')] },
  ];
}
