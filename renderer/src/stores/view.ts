import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { VolumeInfo } from '../../../core/contract/index.js';
import type { WindowLevel } from '../viewer/compose-slice.js';
import { viewGeometry, type Vec3, type ViewName } from '../viewer/orientation.js';
import { defaultWindow, type IntensityRange } from '../viewer/window-presets.js';
import { useStudyStore } from './study.js';

export type Tool = 'navigate' | 'window-level' | 'zoom' | 'pan' | PaintTool;
/** Tools that change labels (the threshold brush paints only within an intensity range). */
export type PaintTool = 'brush' | 'threshold' | 'eraser' | 'polygon' | 'fill';
export const paintTools: readonly PaintTool[] = ['brush', 'threshold', 'eraser', 'polygon', 'fill'];

const MIN_ZOOM = 0.1;

/** Robust ranges that differ by less than a tenth: images of one series, one window fits both. */
function similarRange(a: IntensityRange, b: IntensityRange): boolean {
  const span = Math.max(a.p99 - a.p1, 1e-6);
  return Math.abs(a.p1 - b.p1) + Math.abs(a.p99 - b.p99) < 0.1 * span;
}
const MAX_ZOOM = 64;

/** How the selected image is shown: which view, where the crosshair is, zoom and pan, window/level, active tool. */
export const useViewStore = defineStore('view', () => {
  const study = useStudyStore();
  /** The selected item's geometry, intensity range and labels (owned by the study store). */
  const image = computed(() => study.info);
  const view = ref<ViewName>('axial');
  /** Voxel index (i, j, k) under the crosshair; the slice shown is crosshair[sliceAxis]. */
  const crosshair = ref<Vec3>([0, 0, 0]);
  /** 1 = the slice fits the viewport. */
  const zoom = ref(1);
  /** Offset of the slice's centre from the viewport's, in CSS pixels. */
  const pan = ref<[number, number]>([0, 0]);
  const window = ref<WindowLevel>({ width: 1, level: 0 });
  const tool = ref<Tool>('navigate');

  const is2d = computed(() => (image.value ? image.value.size[2] === 1 : true));
  /** Whether the image knows where the patient is: a PNG or JPEG does not, so no L/R letters or RAS for it. */
  const oriented = computed(() => image.value !== null && (image.value.dimension === 3 || image.value.modality !== undefined));
  /** How a named view cuts the selected image (a 2D image has only its own plane); the four-up draws all three. */
  function geometryOf(name: ViewName) {
    return image.value ? viewGeometry(is2d.value ? 'axial' : name, image.value) : null;
  }
  const geometry = computed(() => geometryOf(view.value));
  const sliceIndex = computed(() => (geometry.value ? crosshair.value[geometry.value.sliceAxis] : 0));
  const sliceCount = computed(() => (geometry.value && image.value ? image.value.size[geometry.value.sliceAxis] : 0));

  // Synchronously, so the crosshair and window are the new image's before anything draws it.
  watch(
    () => study.selection,
    (s) => s && adopt(s.previous, s.info, s.keepView),
    { flush: 'sync', immediate: true },
  );

  /**
   * A new image was selected: crosshair to its centre, fit, default window; or, stepping through a stack, keep the
   * view (and the crosshair, when the images have one shape).
   */
  function adopt(previous: VolumeInfo | null, next: VolumeInfo, keepView: boolean): void {
    const sameShape = previous?.size.every((s, n) => s === next.size[n]) ?? false;
    if (!keepView || !sameShape) crosshair.value = next.size.map((s) => Math.floor(s / 2)) as Vec3;
    if (!keepView) resetView();
    // A folder may mix a PD slice with a T1 slice: their windows have nothing in common.
    else if (!previous || !similarRange(previous.intensity, next.intensity)) window.value = defaultWindow(next.intensity);
  }

  function resetView(): void {
    zoom.value = 1;
    pan.value = [0, 0];
    if (image.value) window.value = defaultWindow(image.value.intensity);
  }

  function setView(next: ViewName): void {
    view.value = next;
  }

  /** Index axis a view cuts across, for the selected image. */
  function viewSliceAxis(name: ViewName): number | null {
    return image.value ? viewGeometry(name, image.value).sliceAxis : null;
  }

  function setSlice(index: number): void {
    const g = geometry.value;
    if (!g) return;
    const clamped = Math.max(0, Math.min(sliceCount.value - 1, Math.round(index)));
    const next = [...crosshair.value] as Vec3;
    next[g.sliceAxis] = clamped;
    crosshair.value = next;
  }

  function setCrosshair(voxel: Vec3): void {
    if (!image.value) return;
    crosshair.value = voxel.map((v, n) => Math.max(0, Math.min(image.value!.size[n]! - 1, Math.round(v)))) as Vec3;
  }

  function zoomBy(factor: number): void {
    zoom.value = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom.value * factor));
  }

  function panBy(dx: number, dy: number): void {
    pan.value = [pan.value[0] + dx, pan.value[1] + dy];
  }

  function setWindow(next: WindowLevel): void {
    window.value = { width: Math.max(next.width, 1e-6), level: next.level };
  }

  return {
    image,
    view,
    crosshair,
    zoom,
    pan,
    window,
    tool,
    is2d,
    oriented,
    geometryOf,
    geometry,
    sliceIndex,
    sliceCount,
    resetView,
    setView,
    viewSliceAxis,
    setSlice,
    setCrosshair,
    zoomBy,
    panBy,
    setWindow,
  };
});
