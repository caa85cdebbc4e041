import { computed } from 'vue';
import { useStudyStore } from './stores/study.js';
import { useViewStore } from './stores/view.js';

/**
 * "Slices" as the user sees them: the slices of a volume, or the images of a 2D stack. The slider, the wheel, the
 * arrow keys and the status bar all go through here, so a folder of PNGs scrolls like a CT.
 */
export function useNavigation() {
  const study = useStudyStore();
  const view = useViewStore();
  const index = computed(() => (study.isStack ? study.itemIndex : view.sliceIndex));
  const count = computed(() => (study.isStack ? study.items.length : view.sliceCount));

  function goTo(target: number): void {
    const clamped = Math.max(0, Math.min(count.value - 1, Math.round(target)));
    if (study.isStack) {
      const item = study.items[clamped];
      if (item && clamped !== index.value) void study.selectItem(item.id, true);
    } else {
      view.setSlice(clamped);
    }
  }

  /** Steps of "next slice" (toward S, A or R in a volume; the next image in a stack). */
  function step(steps: number): void {
    if (study.isStack) goTo(index.value + steps);
    else view.scroll(steps);
  }

  return { index, count, goTo, step };
}
