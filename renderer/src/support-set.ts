import { computed } from 'vue';
import { useImageStore } from './stores/images.js';
import { useProjectStore } from './stores/project.js';
import { useStudyStore } from './stores/study.js';

/**
 * The support as the user sees it: the support slices of a volume, or the support images of a folder of 2D
 * images. The support, propagation and training panels all count it through here.
 */
export function useSupportSet() {
  const study = useStudyStore();
  const project = useProjectStore();
  const images = useImageStore();
  const unit = computed(() => (study.isStack ? 'image' : 'slice'));
  const count = computed(() => (study.isStack ? images.support.length : (project.project?.support.length ?? 0)));
  /** Per label: on how many support examples it is (in a volume, every label of the project, zeros included). */
  const perLabel = computed(() =>
    study.isStack
      ? [...new Set(images.support.flatMap((w) => w.labels))].sort((a, b) => a - b).map((value) => ({ value, slices: images.support.filter((w) => w.labels.includes(value)).length }))
      : (project.project?.supportCounts ?? []),
  );
  return { unit, count, perLabel };
}
