/**
 * Every keyboard shortcut, as data: the handler looks keys up here and the help overlay (`?`) lists this same
 * table, so the two cannot disagree. Keys are KeyboardEvent.key values; "Mod+" is Ctrl (Cmd on macOS); "Shift+"
 * only for keys whose value does not already say it ("?" is Shift+/ on most layouts).
 */
export type ViewerAction =
  | 'next-slice'
  | 'previous-slice'
  | 'next-slice-fast'
  | 'previous-slice-fast'
  | 'first-slice'
  | 'last-slice'
  | 'next-item'
  | 'previous-item'
  | 'view-axial'
  | 'view-coronal'
  | 'view-sagittal'
  | 'toggle-layout'
  | 'maximise-view'
  | 'zoom-in'
  | 'zoom-out'
  | 'reset-view'
  | 'tool-navigate'
  | 'tool-window-level'
  | 'tool-zoom'
  | 'tool-pan'
  | 'tool-brush'
  | 'tool-threshold'
  | 'tool-eraser'
  | 'tool-polygon'
  | 'tool-fill'
  | 'brush-smaller'
  | 'brush-bigger'
  | 'undo'
  | 'redo'
  | 'finish-polygon'
  | 'toggle-support'
  | 'accept-next'
  | 'next-review'
  | 'previous-review'
  | 'propagate'
  | 'toggle-uncertainty'
  | 'toggle-overlay'
  | 'toggle-outline'
  | 'opacity-up'
  | 'opacity-down'
  | 'open-study'
  | 'show-help'
  | 'close';

export interface KeyBinding {
  keys: readonly string[];
  label: string;
  group: 'Slices' | 'View' | 'Tools' | 'Painting' | 'Workflow' | 'Labels' | 'General';
}

export const keymap = {
  'next-slice': { keys: ['ArrowUp', 'k'], label: 'Next slice (toward S, A or R)', group: 'Slices' },
  'previous-slice': { keys: ['ArrowDown', 'j'], label: 'Previous slice', group: 'Slices' },
  'next-slice-fast': { keys: ['PageUp', 'Shift+ArrowUp'], label: '10 slices forward', group: 'Slices' },
  'previous-slice-fast': { keys: ['PageDown', 'Shift+ArrowDown'], label: '10 slices back', group: 'Slices' },
  'first-slice': { keys: ['Home'], label: 'First slice', group: 'Slices' },
  'last-slice': { keys: ['End'], label: 'Last slice', group: 'Slices' },
  'next-item': { keys: ['ArrowRight'], label: 'Next series or image in the study', group: 'Slices' },
  'previous-item': { keys: ['ArrowLeft'], label: 'Previous series or image', group: 'Slices' },
  'view-axial': { keys: ['1', 'a'], label: 'Axial view', group: 'View' },
  'view-coronal': { keys: ['2', 'c'], label: 'Coronal view', group: 'View' },
  'view-sagittal': { keys: ['3', 's'], label: 'Sagittal view', group: 'View' },
  'toggle-layout': { keys: ['v'], label: 'Four views (axial, coronal, sagittal, 3D) or one', group: 'View' },
  'maximise-view': { keys: ['x'], label: 'Maximise the view under the pointer; again: back to four', group: 'View' },
  'zoom-in': { keys: ['+', '='], label: 'Zoom in', group: 'View' },
  'zoom-out': { keys: ['-'], label: 'Zoom out', group: 'View' },
  'reset-view': { keys: ['r', '0'], label: 'Fit to window, reset window/level', group: 'View' },
  'tool-navigate': { keys: ['n'], label: 'Crosshair tool (left drag moves the crosshair)', group: 'Tools' },
  'tool-window-level': { keys: ['w'], label: 'Window/level tool (left drag)', group: 'Tools' },
  'tool-zoom': { keys: ['z'], label: 'Zoom tool (left drag up/down)', group: 'Tools' },
  'tool-pan': { keys: ['p'], label: 'Pan tool (left drag)', group: 'Tools' },
  'tool-brush': { keys: ['b'], label: 'Brush: paint the active label', group: 'Painting' },
  'tool-threshold': { keys: ['t'], label: 'Threshold brush: paint only within the intensity range', group: 'Painting' },
  'tool-eraser': { keys: ['e'], label: 'Eraser (locked labels stay)', group: 'Painting' },
  'tool-polygon': { keys: ['g'], label: 'Polygon: click the corners, double-click or Enter to fill', group: 'Painting' },
  'tool-fill': { keys: ['f'], label: 'Fill: click a region to fill it with the active label', group: 'Painting' },
  'brush-smaller': { keys: ['['], label: 'Smaller brush', group: 'Painting' },
  'brush-bigger': { keys: [']'], label: 'Bigger brush', group: 'Painting' },
  undo: { keys: ['Mod+z'], label: 'Undo the last edit (on any slice)', group: 'Painting' },
  redo: { keys: ['Mod+y', 'Mod+Z'], label: 'Redo', group: 'Painting' },
  'finish-polygon': { keys: ['Enter'], label: 'Fill the polygon being drawn', group: 'Painting' },
  'toggle-support': { keys: ['m'], label: 'Mark or unmark the slice as support (accepts a prediction)', group: 'Workflow' },
  'accept-next': { keys: ['y'], label: 'Accept this prediction and go to the next to review', group: 'Workflow' },
  'next-review': { keys: ['.'], label: 'Next predicted slice to review (most uncertain first)', group: 'Workflow' },
  'previous-review': { keys: [','], label: 'Previous predicted slice to review', group: 'Workflow' },
  propagate: { keys: ['Mod+Enter'], label: 'Propagate from the support slices', group: 'Workflow' },
  'toggle-uncertainty': { keys: ['u'], label: 'Show or hide the uncertainty of predictions', group: 'Workflow' },
  'toggle-overlay': { keys: ['l'], label: 'Show or hide labels', group: 'Labels' },
  'toggle-outline': { keys: ['o'], label: 'Labels filled or as outlines', group: 'Labels' },
  'opacity-up': { keys: ['}'], label: 'Labels more opaque', group: 'Labels' },
  'opacity-down': { keys: ['{'], label: 'Labels more transparent', group: 'Labels' },
  'open-study': { keys: ['Mod+o'], label: 'Open a study', group: 'General' },
  'show-help': { keys: ['?', 'F1'], label: 'This help', group: 'General' },
  close: { keys: ['Escape'], label: 'Close dialog', group: 'General' },
} as const satisfies Record<ViewerAction, KeyBinding>;

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
