import { computed } from 'vue';
import { useStudyStore } from './stores/study.js';
import { useViewStore } from './stores/view.js';
import type { ViewName } from './viewer/orientation.js';

/**
 * "Slices" as the user sees them: the slices of a volume, or the images of a 2D stack. The slider, the wheel, the
 * arrow keys and the status bar all go through here, so a folder of PNGs scrolls like a CT. `viewName`: the view
 * whose slices are meant (a pane of the four-up); by default the selected view.
 */
export function useNavigation(viewName?: () => ViewName) {
  const study = useStudyStore();
  const view = useViewStore();
  const geometry = computed(() => (viewName ? view.geometryOf(viewName()) : view.geometry));
  const index = computed(() => (study.isStack ? study.itemIndex : geometry.value ? view.crosshair[geometry.value.sliceAxis] : 0));
  const count = computed(() =>
    study.isStack ? study.items.length : geometry.value && view.image ? view.image.size[geometry.value.sliceAxis]! : 0,
  );

  function goTo(target: number): void {
    const clamped = Math.max(0, Math.min(count.value - 1, Math.round(target)));
    const g = geometry.value;
    if (study.isStack) {
      const item = study.items[clamped];
      if (item && clamped !== index.value) void study.selectItem(item.id, true);
    } else if (g) {
      const next = [...view.crosshair] as typeof view.crosshair;
      next[g.sliceAxis] = clamped;
      view.setCrosshair(next);
    }
  }

  /** Steps of "next slice" (toward S, A or R in a volume; the next image in a stack). */
  function step(steps: number): void {
    if (study.isStack) goTo(index.value + steps);
    else if (geometry.value) goTo(index.value + steps * geometry.value.forwardStep);
  }

  return { index, count, goTo, step };
}
