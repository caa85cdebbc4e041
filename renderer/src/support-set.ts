import { computed, type ComputedRef } from 'vue';
import type { JobProgress } from '../../core/contract/index.js';
import { useImageStore } from './stores/images.js';
import { useJobStore } from './stores/jobs.js';
import { useProjectStore } from './stores/project.js';
import { useStudyStore } from './stores/study.js';

/** One support example as a thumbnail: a slice of the volume, or an image of the folder (`itemId`). */
export interface SupportThumb {
  key: string;
  index: number;
  itemId?: string;
  revision?: number;
  caption: string;
  title: string;
  active: boolean;
  show(): void;
}

/**
 * The support-set workflow, one for both sources of 2D examples: the slices of a volume (along the project axis)
 * or the images of a folder. Paint some, mark them as support, propagate to the others, review the predictions
 * most uncertain first, accept. The panels, the keys and the menus all work through here, whichever the source.
 */
export interface SupportSet {
  /** What one example is. */
  unit: 'slice' | 'image';
  /** What training learns from, in words. */
  trainsOn: string;
  /** The example on screen, in words ("Slice 12", "This image"); null when the view does not show one. */
  here: string | null;
  count: number;
  /** Per label: on how many support examples it is (in a volume, every label of the project, zeros included). */
  perLabel: readonly { value: number; slices: number }[];
  thumbs: readonly SupportThumb[];
  /** How many examples propagation would predict, where that is known before it runs. */
  targets: number | null;
  /**
   * Whether propagation weighs the network against the shape interpolated between support examples, and so takes
   * a range, a weight and per-label extents: only slices of one volume have neighbours to interpolate between.
   */
  interpolates: boolean;
  job: JobProgress | null;
  /** The predicted examples, most uncertain first, and whether each is the one on screen. */
  review: readonly { here: boolean; uncertainty: number }[];
  propagate(): Promise<void>;
  stepReview(step: 1 | -1): void;
  acceptAndNext(): Promise<void>;
}

export function useSupportSet(): ComputedRef<SupportSet> {
  const study = useStudyStore();
  const project = useProjectStore();
  const images = useImageStore();
  const jobs = useJobStore();

  const volumeSlices = (): SupportSet => {
    const support = project.project?.support ?? [];
    return {
      unit: 'slice',
      trainsOn: "this image's support slices",
      here: project.currentSlice === null ? null : `Slice ${project.currentSlice + 1}`,
      count: support.length,
      perLabel: project.project?.supportCounts ?? [],
      thumbs: support.map((index) => ({
        key: String(index),
        index,
        caption: String(index + 1),
        title: `Slice ${index + 1}`,
        active: index === project.currentSlice,
        show: () => project.showSlice(index),
      })),
      targets: null,
      interpolates: true,
      job: jobs.latest('propagate', project.project?.studyId, project.project?.itemId),
      review: (project.project?.review ?? []).map((r) => ({ here: r.index === project.currentSlice, uncertainty: r.uncertainty })),
      propagate: project.propagate,
      stepReview: project.review,
      acceptAndNext: project.acceptAndNext,
    };
  };

  const folderImages = (): SupportSet => {
    const values = [...new Set(images.support.flatMap((w) => w.labels))].sort((a, b) => a - b);
    return {
      unit: 'image',
      trainsOn: "this folder's support images",
      here: project.currentSlice === null ? null : 'This image',
      count: images.support.length,
      perLabel: values.map((value) => ({ value, slices: images.support.filter((w) => w.labels.includes(value)).length })),
      thumbs: images.support.map((w) => {
        const name = study.items.find((i) => i.id === w.itemId)?.name ?? w.itemId;
        return {
          key: w.itemId,
          index: 0,
          itemId: w.itemId,
          revision: w.revision,
          caption: name,
          title: name,
          active: w.itemId === study.itemId,
          show: () => void study.selectItem(w.itemId, true),
        };
      }),
      targets: images.targets.length,
      interpolates: false,
      job: jobs.latest('propagate-images', study.study?.id, undefined),
      review: images.review.map((w) => ({ here: w.itemId === study.itemId, uncertainty: w.uncertainty ?? 0 })),
      propagate: images.propagate,
      stepReview: images.stepReview,
      acceptAndNext: images.acceptAndNext,
    };
  };

  // The one place that tells a folder of images from a volume.
  return computed(() => (study.isStack ? folderImages() : volumeSlices()));
}
