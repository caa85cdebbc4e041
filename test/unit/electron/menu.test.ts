import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { keymap, menus } from '../../../core/contract/keymap.js';
import type { HostCommand } from '../../../core/contract/desktop-bridge.js';
import { menuTemplate } from '../../../electron/menu.js';

/** An Electron accelerator in the keyboard map's notation: "CmdOrCtrl+Shift+Z" -> "Mod+Z", "M" -> "m", "Up" -> "ArrowUp". */
function asMapKey(accelerator: string): string {
  const parts = accelerator.split('+');
  const key = parts.pop()!;
  const shift = parts.includes('Shift');
  const mods = parts.filter((p) => p !== 'Shift').map((p) => (p === 'CmdOrCtrl' ? 'Mod' : p));
  const arrows: Record<string, string> = { Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight' };
  const base = arrows[key] ?? (key.length === 1 ? (shift ? key.toUpperCase() : key.toLowerCase()) : key);
  return [...mods, ...(shift && key.length !== 1 ? ['Shift'] : []), base].join('+');
}

/** Every viewer item of the menus, with the action its click sends. */
function viewerItems(isMac: boolean): { label: string; accelerator: string | undefined; action: string; registers: boolean }[] {
  const sent: HostCommand[] = [];
  const template = menuTemplate({ openFolder: () => undefined, openFile: () => undefined, send: (c) => sent.push(c) }, [], isMac);
  const found: { label: string; accelerator: string | undefined; action: string; registers: boolean }[] = [];
  const walk = (items: MenuItemConstructorOptions[]): void => {
    for (const item of items) {
      if (Array.isArray(item.submenu)) walk(item.submenu);
      if (!item.click || !item.label) continue;
      const before = sent.length;
      (item.click as () => void)();
      const command = sent[before];
      if (command?.type === 'action')
        found.push({
          label: item.label,
          accelerator: item.accelerator,
          action: command.action,
          registers: item.registerAccelerator !== false,
        });
    }
  };
  walk(template);
  return found;
}

test('every menu item of the viewer sends its action and shows one of the keys the keyboard map binds to it', () => {
  for (const isMac of [false, true]) {
    const items = viewerItems(isMac);
    const listed = Object.values(menus).flatMap((entries) => entries.flatMap((e) => (e ? [e[0]] : [])));
    assert.deepEqual(items.map((i) => i.action).sort(), [...listed].sort());
    for (const item of items) {
      assert.ok(item.accelerator, `${item.label} shows its key`);
      const keys: readonly string[] = keymap[item.action as keyof typeof keymap].keys;
      assert.ok(keys.includes(asMapKey(item.accelerator)), `${item.label}: ${item.accelerator} is not among ${keys.join(', ')}`);
      assert.equal(item.registers, false, `${item.label}: the page handles the key, not the menu`);
    }
  }
});

test('the menus show the same keys they showed before the map built them', () => {
  const shown = Object.fromEntries(viewerItems(false).map((i) => [i.action, i.accelerator]));
  assert.deepEqual(shown, {
    undo: 'CmdOrCtrl+Z',
    redo: 'CmdOrCtrl+Y',
    'toggle-support': 'M',
    propagate: 'CmdOrCtrl+Enter',
    'next-review': '.',
    'accept-next': 'Y',
    'toggle-uncertainty': 'U',
    'view-axial': '1',
    'view-coronal': '2',
    'view-sagittal': '3',
    'reset-view': 'R',
    'toggle-overlay': 'L',
    // "?" needs Shift on most layouts; F1 is the help's other key.
    'show-help': 'F1',
  });
});

test('no key is bound to two actions', () => {
  const keys = Object.values(keymap).flatMap((b) => b.keys as readonly string[]);
  assert.deepEqual(
    keys.filter((k, n) => keys.indexOf(k) !== n),
    [],
  );
});
