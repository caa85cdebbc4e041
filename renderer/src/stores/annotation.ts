import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { LabelSlice, SliceStatus, VoxelArray } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { slices } from '../client/slices.js';
import type { Axis, Vec3, ViewGeometry } from '../viewer/orientation.js';
import { fillPolygon, floodFill, paintDisc, paintLine, paintRule, type PaintRule, type PaintTarget } from '../viewer/paint.js';
import { useNoticeStore } from './notices.js';
import { useProjectStore } from './project.js';
import { useStudyStore } from './study.js';
import { useViewStore } from './view.js';

/** One finished stroke (or fill, or polygon): the slice before and after, and what the slice was before. */
export interface Edit {
  axis: Axis;
  index: number;
  width: number;
  height: number;
  before: Uint8Array;
  after: Uint8Array;
  beforeStatus: SliceStatus;
  afterStatus: SliceStatus;
}

/** The slice on screen, as the painting tools edit it. */
export interface EditTarget {
  axis: Axis;
  index: number;
  g: ViewGeometry;
  width: number;
  height: number;
  grey: VoxelArray;
  /** The labels shown (null: none yet, an empty slice is painted on). */
  labels: Uint8Array | null;
}

/**
 * The latest version of the slice being edited, known here before the engine has it; shown until the viewer has
 * fetched a revision at least as new as the one that holds it (`revision` null: not yet acknowledged).
 */
export interface LocalSlice {
  axis: Axis;
  index: number;
  data: Uint8Array;
  revision: number | null;
}

/** An edit under way: the slice it started on, its working copy, and what it paints where. */
interface Begun {
  slice: EditTarget;
  t: PaintTarget;
  before: Uint8Array;
  value: number;
  rule: PaintRule;
}

/** What one undo takes back: a stroke's slice, or every slice a clean-up changed. */
type EditGroup = Edit[];

const MAX_HISTORY = 100;
export const BRUSH_SIZES = { min: 1, max: 99 };

/**
 * The painting tools' settings and the undo history. Each edit goes to the engine as soon as the stroke ends
 * (the engine saves it); undo and redo send the slice back as it was, wherever it is, and show it.
 */
export const useAnnotationStore = defineStore('annotation', () => {
  const study = useStudyStore();
  const view = useViewStore();
  const project = useProjectStore();
  const notices = useNoticeStore();

  /** Brush diameter in pixels of the slice. */
  const brushSize = ref(7);
  /** The threshold brush paints only voxels within this range of grey values. */
  const range = ref<{ min: number; max: number }>({ min: 0, max: 0 });
  /** Vertices of the polygon being drawn (slice image coordinates), empty when none. */
  const polygon = ref<[number, number][]>([]);
  const target = shallowRef<EditTarget | null>(null);
  const local = shallowRef<LocalSlice | null>(null);
  /** Bumped by every change to `local` made in place (a brush stroke in progress), for the viewer to redraw. */
  const tick = ref(0);
  let stroke: (Begun & { last: [number, number] }) | null = null;
  const undoStack = shallowRef<EditGroup[]>([]);
  const redoStack = shallowRef<EditGroup[]>([]);
  /** Edits reach the engine in the order they were made. */
  let queue: Promise<unknown> = Promise.resolve();

  // A new image: its own history, and a threshold range from its robust intensity range.
  watch(
    () => [study.info?.studyId, study.info?.itemId],
    () => {
      undoStack.value = [];
      redoStack.value = [];
      polygon.value = [];
      local.value = null;
      const intensity = study.info?.intensity;
      if (intensity) range.value = { min: round(intensity.p1 + 0.25 * (intensity.p99 - intensity.p1)), max: round(intensity.p99) };
    },
  );

  function setBrushSize(size: number): void {
    brushSize.value = Math.max(BRUSH_SIZES.min, Math.min(BRUSH_SIZES.max, Math.round(size)));
  }

  /** Starts an edit of the slice on screen with the active tool; null when it may not be edited now. */
  function start(): Begun | null {
    const tt = target.value;
    // Until the slice scrolled to has arrived, the one on screen is another: nothing is painted on it.
    if (!tt || !project.project || view.geometry?.sliceAxis !== tt.axis || view.sliceIndex !== tt.index) return null;
    const value = view.tool === 'eraser' ? 0 : project.activeValue;
    const locked = new Set(project.segments.filter((s) => s.locked).map((s) => s.value));
    if (value !== 0 && locked.has(value)) {
      notices.push('info', `${project.active?.name ?? `Label ${value}`} is locked: unlock it to paint with it`);
      return null;
    }
    const before = tt.labels ? tt.labels.slice() : new Uint8Array(tt.width * tt.height);
    const data = before.slice();
    local.value = { axis: tt.axis, index: tt.index, data, revision: null };
    const range = view.tool === 'threshold' ? rangeLimits() : null;
    return {
      slice: tt,
      t: { data, g: tt.g, sliceWidth: tt.width },
      before,
      value,
      rule: paintRule({ labels: data, value, locked, grey: tt.grey, range }),
    };
  }

  function rangeLimits() {
    const { min, max } = range.value;
    return { min: Math.min(min, max), max: Math.max(min, max) };
  }

  /** A brush, threshold brush or eraser stroke from pixel (u, v) of the view. */
  function beginStroke(u: number, v: number): boolean {
    const begun = start();
    if (!begun) return false;
    stroke = { ...begun, last: [u, v] };
    paintDisc(stroke.t, u, v, brushSize.value, stroke.value, stroke.rule);
    tick.value++;
    return true;
  }

  function continueStroke(u: number, v: number): void {
    if (!stroke || (u === stroke.last[0] && v === stroke.last[1])) return;
    paintLine(stroke.t, stroke.last, [u, v], brushSize.value, stroke.value, stroke.rule);
    stroke.last = [u, v];
    tick.value++;
  }

  function endStroke(): Promise<void> {
    const done = stroke;
    stroke = null;
    return done ? finish(done) : Promise.resolve();
  }

  /** The fill tool: the region of (u, v)'s label around it becomes the active label. */
  function fillAt(u: number, v: number): Promise<void> {
    const begun = start();
    if (!begun) return Promise.resolve();
    floodFill(begun.t, u, v, begun.value, begun.rule);
    tick.value++;
    return finish(begun);
  }

  function addPolygonPoint(u: number, v: number): void {
    polygon.value = [...polygon.value, [u, v]];
  }

  /** Fills the polygon drawn so far with the active label. */
  function finishPolygon(): Promise<void> {
    const points = polygon.value;
    polygon.value = [];
    if (points.length < 3) return Promise.resolve();
    const begun = start();
    if (!begun) return Promise.resolve();
    fillPolygon(begun.t, points, begun.value, begun.rule);
    tick.value++;
    return finish(begun);
  }

  /** Sends a finished edit unless it changed nothing. */
  function finish(edit: Begun): Promise<void> {
    const tt = edit.slice;
    const after = edit.t.data;
    if (after.every((v, n) => v === edit.before[n])) {
      local.value = null;
      return Promise.resolve();
    }
    const beforeStatus = project.project?.axis === tt.axis ? project.statusOf(tt.index) : 'painted';
    return commit({ axis: tt.axis, index: tt.index, width: tt.width, height: tt.height, before: edit.before, after, beforeStatus });
  }

  /** Sends an edit; on success it can be undone. Resolves once the engine has it. */
  function commit(edit: Omit<Edit, 'afterStatus'>): Promise<void> {
    return commitAll([edit]);
  }

  /**
   * Sends the slices of one change (a clean-up: every slice it changed) as edits that one undo takes back. Slices
   * the engine refused are left out; those it took stay undoable.
   */
  function commitAll(edits: Omit<Edit, 'afterStatus'>[]): Promise<void> {
    return enqueue(async () => {
      const group: EditGroup = [];
      for (const edit of edits) {
        const afterStatus = await send(edit, edit.after);
        if (afterStatus === null) {
          // Refused: show what the engine has.
          if (local.value?.data === edit.after) local.value = null;
          break;
        }
        group.push({ ...edit, afterStatus });
      }
      if (group.length === 0) return;
      undoStack.value = [...undoStack.value.slice(-(MAX_HISTORY - 1)), group];
      redoStack.value = [];
    });
  }

  function undo(): Promise<void> {
    return enqueue(async () => {
      const group = undoStack.value.at(-1);
      if (!group) return notices.push('info', 'Nothing to undo');
      for (const edit of [...group].reverse()) if ((await send(edit, edit.before, edit.beforeStatus)) === null) return;
      undoStack.value = undoStack.value.slice(0, -1);
      redoStack.value = [...redoStack.value, group];
      show(group);
    });
  }

  function redo(): Promise<void> {
    return enqueue(async () => {
      const group = redoStack.value.at(-1);
      if (!group) return notices.push('info', 'Nothing to redo');
      for (const edit of group) if ((await send(edit, edit.after, edit.afterStatus)) === null) return;
      redoStack.value = redoStack.value.slice(0, -1);
      undoStack.value = [...undoStack.value, group];
      show(group);
    });
  }

  /** Writes one version of a slice; returns the slice's status after it, or null when the engine refused. */
  async function send(edit: Omit<Edit, 'afterStatus'>, data: Uint8Array, status?: SliceStatus): Promise<SliceStatus | null> {
    const info = study.info;
    if (!info) return null;
    const ref = { studyId: info.studyId, itemId: info.itemId, axis: edit.axis, index: edit.index };
    const slice: LabelSlice = { width: edit.width, height: edit.height, data };
    const next = await notices.guard(() => api.setLabelSlice({ ...ref, slice, ...(status ? { status } : {}) }));
    if (!next) return null;
    // The engine would send back exactly this: no need to fetch it again.
    slices.seedLabels({ ...ref, revision: next.revision, uncertainty: false }, { ...slice, data: data.slice() });
    const shown = local.value;
    if (shown && shown.axis === edit.axis && shown.index === edit.index && shown.data === data)
      local.value = { ...shown, revision: next.revision };
    project.adopt(next);
    return edit.axis === next.axis ? project.statusOf(edit.index) : 'painted';
  }

  /**
   * Undoing a change none of whose slices is on screen goes to its first, so the user sees what changed: the
   * crosshair moves along the edit's own axis, which the four-up's view of that axis (or the single view) shows.
   */
  function show(group: EditGroup): void {
    const [first] = group;
    if (!first || group.some((e) => e.index === view.crosshair[e.axis])) return;
    const next: Vec3 = [...view.crosshair];
    next[first.axis] = first.index;
    view.setCrosshair(next);
  }

  function enqueue(work: () => Promise<void>): Promise<void> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  const canUndo = computed(() => undoStack.value.length > 0);
  const canRedo = computed(() => redoStack.value.length > 0);

  return {
    brushSize,
    range,
    polygon,
    target,
    local,
    tick,
    undoStack,
    redoStack,
    canUndo,
    canRedo,
    setBrushSize,
    beginStroke,
    continueStroke,
    endStroke,
    fillAt,
    addPolygonPoint,
    finishPolygon,
    commitAll,
    undo,
    redo,
  };
});

function round(v: number): number {
  return Number(v.toPrecision(4));
}
