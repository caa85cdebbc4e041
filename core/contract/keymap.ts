/**
 * Every keyboard shortcut, as data, in one table: the page looks keys up here, the help overlay (`?`) lists it, and
 * the desktop app's menus show the same keys beside the same actions (electron/menu.ts builds them from `menus`),
 * so none of them can disagree. Keys are KeyboardEvent.key values; "Mod+" is Ctrl (Cmd on macOS); "Shift+" only
 * for keys whose value does not already say it ("?" is Shift+/ on most layouts). Pure data: no DOM, no Electron.
 */
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
} as const satisfies Record<string, KeyBinding>;

/** What a key or menu item can ask the viewer to do. */
export type ViewerAction = keyof typeof keymap;

/** One item of a desktop menu: the action and its title there; null is a separator. */
export type MenuEntry = readonly [action: ViewerAction, title: string] | null;

/** The desktop app's menus that act on the viewer (File's items open dialogs in the shell instead). */
export const menus = {
  edit: [
    ['undo', 'Undo'],
    ['redo', 'Redo'],
  ],
  segmentation: [
    ['toggle-support', 'Mark or Unmark Slice as Support'],
    ['propagate', 'Propagate'],
    null,
    ['next-review', 'Next Slice to Review'],
    ['accept-next', 'Accept and Go to Next'],
    ['toggle-uncertainty', 'Show or Hide Uncertainty'],
  ],
  view: [
    ['view-axial', 'Axial'],
    ['view-coronal', 'Coronal'],
    ['view-sagittal', 'Sagittal'],
    null,
    ['reset-view', 'Fit and Reset Window/Level'],
    ['toggle-overlay', 'Show or Hide Labels'],
  ],
  help: [['show-help', 'Keyboard and Mouse']],
} as const satisfies Record<string, readonly MenuEntry[]>;

/** The actions a menu item may send to the page. */
export type MenuAction = Exclude<(typeof menus)[keyof typeof menus][number], null>[0];

/** Characters typed with Shift on common layouts: an accelerator naming one would show the wrong keys. */
const SHIFTED = new Set([...'?{}+:"<>|~!@#$%^&*()_']);
const ARROWS: Record<string, string> = { ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right' };

/**
 * The first of an action's keys as an Electron accelerator ("Mod+z" -> "CmdOrCtrl+Z", "Mod+Z" -> "CmdOrCtrl+Shift+Z",
 * "m" -> "M"), skipping keys an accelerator cannot show as typed; null when none can be.
 */
export function accelerator(action: ViewerAction): string | null {
  for (const key of keymap[action].keys as readonly string[]) {
    // The key itself may be "+": the last "+" that is not the last character ends the modifiers.
    const at = key.length > 1 ? key.lastIndexOf('+', key.length - 2) : -1;
    const base = key.slice(at + 1);
    if (SHIFTED.has(base)) continue;
    const modifiers =
      at < 0
        ? []
        : key
            .slice(0, at)
            .split('+')
            .map((m) => (m === 'Mod' ? 'CmdOrCtrl' : m));
    // A single upper-case letter is the key typed with Shift ("Mod+Z").
    const shift = base.length === 1 && base !== base.toLowerCase() ? ['Shift'] : [];
    return [...modifiers, ...shift, ARROWS[base] ?? (base.length === 1 ? base.toUpperCase() : base)].join('+');
  }
  return null;
}
