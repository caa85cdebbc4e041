import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api } from '../client/index.js';
import type { Axis, ViewName } from '../viewer/orientation.js';
import { useNoticeStore } from './notices.js';
import { useProjectStore } from './project.js';
import { useStudyStore } from './study.js';
import { useViewStore } from './view.js';

/** A pane of the four-up: one of the slice views, or the 3D view. */
export type PaneName = ViewName | '3d';
export const slicePanes: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];
type Maximised = 'slice' | '3d' | null;

/** The layout this tab chose last, so a reload keeps it. */
const LAYOUT_KEY = 'universeg.layout';
function savedLayout(): Maximised {
  const saved = sessionStorage.getItem(LAYOUT_KEY);
  return saved === 'slice' || saved === '3d' ? saved : null;
}

/**
 * How the viewer area is laid out: a volume in four views (axial, coronal, sagittal, 3D) as ITK-SNAP and Slicer
 * open it, or one of them alone. Which slice view is selected (keys, slider, support marking) stays the view
 * store's `view`; this store says what is on screen, which pane the pointer is over, and along which axis the
 * workflow runs: the axis of the view last painted in.
 */
export const useLayoutStore = defineStore('layout', () => {
  const study = useStudyStore();
  const view = useViewStore();
  const project = useProjectStore();
  const notices = useNoticeStore();
  /** null: four views; otherwise the one pane shown alone. */
  const maximised = ref<Maximised>(savedLayout());
  watch(maximised, (m) => sessionStorage.setItem(LAYOUT_KEY, m ?? 'four-up'));
  /** The pane under the pointer, for the maximise key. */
  const hovered = ref<PaneName | null>(null);
  /** Index axis of the view last painted in: the axis propagation should run along. */
  const paintedAxis = ref<Axis | null>(null);

  /** 2D images (one image, or a folder of them) have one plane: always a single view. */
  const canFourUp = computed(() => view.image !== null && !view.is2d && !study.isStack);
  const fourUp = computed(() => canFourUp.value && maximised.value === null);
  /** What the viewer area shows alone when it is not four-up. */
  const alone = computed<'slice' | '3d'>(() => (canFourUp.value && maximised.value === '3d' ? '3d' : 'slice'));

  /** The layout button: four views, or the selected slice view alone. */
  function toggleFourUp(): void {
    maximised.value = maximised.value === null ? 'slice' : null;
  }

  /** The maximise key: the pane under the pointer alone, or back to four views. */
  function toggleMaximised(): void {
    if (maximised.value !== null) maximised.value = null;
    else if (hovered.value === '3d') maximised.value = '3d';
    else if (hovered.value) {
      view.setView(hovered.value);
      maximised.value = 'slice';
    }
  }

  /** The slice view that cuts across an index axis. */
  function paneOf(axis: Axis): ViewName | null {
    return slicePanes.find((name) => view.geometryOf(name)?.sliceAxis === axis) ?? null;
  }

  /** Support, propagation and review run across `axis` from now on (the engine drops marks along the old one). */
  async function workAlong(axis: Axis): Promise<void> {
    const p = project.project;
    if (!p || p.axis === axis) return;
    const next = await notices.guard(() => api.setProjectAxis({ studyId: p.studyId, itemId: p.itemId, axis }));
    if (next) project.adopt(next);
  }

  // Painting in another view moves the workflow there at once while nothing is marked along its axis yet; with
  // support or predictions the user decides (the Propagate panel offers it), since those marks would go.
  watch(paintedAxis, (axis) => {
    const p = project.project;
    if (axis !== null && p && p.axis !== axis && p.support.length === 0 && p.predicted.length === 0) void workAlong(axis);
  });
  watch(
    () => [study.info?.studyId, study.info?.itemId],
    () => (paintedAxis.value = null),
  );

  return { maximised, hovered, paintedAxis, canFourUp, fourUp, alone, toggleFourUp, toggleMaximised, paneOf, workAlong };
});
