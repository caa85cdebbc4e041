import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { VolumeInfo } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { slices } from '../client/slices.js';
import { fetchGreyVolume } from '../viewer/grey-volume.js';
import { LabelReplica } from '../viewer/label-replica.js';
import type { HeldVolume } from '../viewer/slice-source.js';
import { useNoticeStore } from './notices.js';
import { useStudyStore } from './study.js';

/**
 * The most the page holds of one item, image and label map together. A 512 x 512 x 1000 CT in int16 with its labels
 * is 750 MiB; past 1 GiB (a float32 MR that large, a 1024^3 image) the views ask for slices one by one as before.
 * Typed arrays live outside the JavaScript heap and its limit; 1 GiB is what a browser tab on a laptop with 8 GB
 * can still spare beside the engine, which holds the same image in float32.
 */
export const HELD_BYTES = 1 << 30;

/**
 * The selected volume held in the page (issue #17), so scrolling cuts slices here instead of asking the engine for
 * each: its image, fetched once in slabs, and a copy of its label map the views bring up to the project's revision.
 * A 2D image is one slice: there is nothing to hold. Until the image has arrived, the views ask for slices.
 */
export const useVolumeStore = defineStore('volume', () => {
  const study = useStudyStore();
  const notices = useNoticeStore();
  /** The fraction of the image arrived while it is fetched; null otherwise. */
  const progress = ref<number | null>(null);
  /** The image is held here whole (the views cut their slices from it). */
  const held = ref(false);
  let stop: AbortController | null = null;

  // Sources compared one by one: loading a label file replaces study.info for the same item, which must not
  // start the image over.
  watch([() => study.info?.studyId, () => study.info?.itemId], () => void hold(study.info), { immediate: true });

  async function hold(info: VolumeInfo | null): Promise<void> {
    stop?.abort();
    stop = null;
    slices.hold(null);
    held.value = false;
    progress.value = null;
    if (!info || info.size[2] < 2) return;
    const { studyId, itemId, size } = info;
    const voxels = size[0] * size[1] * size[2];
    // A label byte per voxel, and at least one for the image.
    if (2 * voxels > HELD_BYTES) return;
    const mine = (stop = new AbortController());
    const volume: HeldVolume = {
      studyId,
      itemId,
      grey: null,
      labels: new LabelReplica([...size], (since) => api.getLabelChanges({ studyId, itemId, ...(since === undefined ? {} : { since }) })),
    };
    slices.hold(volume);
    // The label map meanwhile: until it is here, label slices are asked for one by one too.
    void notices.guard(() => volume.labels.reach(0));
    progress.value = 0;
    const grey = await notices.guard(() =>
      fetchGreyVolume([...size], (from) => api.getImageSlab({ studyId, itemId, from }), {
        budgetBytes: HELD_BYTES - voxels,
        onProgress: (fraction) => (progress.value = fraction),
        signal: mine.signal,
      }),
    );
    if (mine.signal.aborted) return;
    progress.value = null;
    if (!grey) return slices.hold(null);
    volume.grey = grey;
    held.value = true;
  }

  return { progress, held };
});
