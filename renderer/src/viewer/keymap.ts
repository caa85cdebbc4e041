/**
 * The keyboard map (core/contract/keymap.ts) in the page: key events to actions, and the mouse gestures the help
 * overlay lists beside the keys.
 */
import { keymap, type KeyBinding, type ViewerAction } from '../../../core/contract/keymap.js';

/** Mouse gestures, for the help overlay (SliceView implements them). */
export const mouseMap = [
  { inputs: ['Wheel'], label: 'Scroll slices' },
  { inputs: ['Right drag'], label: 'Window (left/right), level (up/down)' },
  { inputs: ['Left drag'], label: 'Active tool: crosshair, window/level, zoom, pan, or paint' },
  { inputs: ['Middle drag', 'Shift + left drag'], label: 'Pan' },
  { inputs: ['Ctrl + wheel'], label: 'Zoom at the pointer' },
  { inputs: ['Double click'], label: 'Fit to window (with the polygon tool: close the polygon)' },
] as const satisfies readonly { inputs: readonly string[]; label: string }[];

/** "Mod+o", "Shift+ArrowUp", "?" — the form used in `keymap` — for a key event. */
export function comboOf(event: KeyboardEvent): string {
  const printable = event.key.length === 1;
  const mod = event.ctrlKey || event.metaKey ? 'Mod+' : '';
  return `${mod}${event.altKey ? 'Alt+' : ''}${event.shiftKey && !printable ? 'Shift+' : ''}${event.key}`;
}

const byCombo = new Map<string, ViewerAction>(
  (Object.entries(keymap) as [ViewerAction, KeyBinding][]).flatMap(([action, b]) => b.keys.map((k) => [k, action] as const)),
);

export function actionForKey(event: KeyboardEvent): ViewerAction | undefined {
  return byCombo.get(comboOf(event));
}
