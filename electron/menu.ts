import type { MenuItemConstructorOptions } from 'electron';
import type { RecentStudy } from '../core/contract/index.js';
import { accelerator, menus, type MenuAction } from '../core/contract/keymap.js';
import type { HostCommand } from '../core/contract/desktop-bridge.js';

export interface MenuHandlers {
  openFolder(): void;
  openFile(): void;
  send(command: HostCommand): void;
}

/**
 * The application menu. Its viewer items come from the keyboard map's `menus`, with the map's keys as accelerators
 * (shown for discoverability); `registerAccelerator: false` leaves the keys to the page, so they work the same in a
 * browser.
 */
export function menuTemplate(handlers: MenuHandlers, recent: RecentStudy[], isMac: boolean): MenuItemConstructorOptions[] {
  const items = (entries: readonly (readonly [MenuAction, string] | null)[]): MenuItemConstructorOptions[] =>
    entries.map((entry) =>
      entry
        ? {
            label: entry[1],
            accelerator: accelerator(entry[0]) ?? undefined,
            registerAccelerator: false,
            click: () => handlers.send({ type: 'action', action: entry[0] }),
          }
        : { type: 'separator' },
    );
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
          submenu: recent.map((r) => ({
            label: `${r.name} — ${r.path}`,
            click: () => handlers.send({ type: 'open-study', path: r.path }),
          })),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        ...items(menus.edit),
        { type: 'separator' },
        // Text fields (label names, paths) need the clipboard roles, macOS most of all.
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: '&Segmentation', submenu: items(menus.segmentation) },
    { label: '&View', submenu: [...items(menus.view), { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: '&Help', submenu: items(menus.help) },
  ];
}
