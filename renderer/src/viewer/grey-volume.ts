import { VOXEL_ARRAYS, type ImageSlab, type VoxelArray, type VoxelType } from '../../../core/contract/index.js';
import type { GreyVolume } from './cut-slice.js';

export interface FetchOptions {
  /** Bytes the image may take here; past them it is not fetched (the views keep asking for slices). */
  budgetBytes: number;
  /** The fraction of slices arrived, after each slab. */
  onProgress(fraction: number): void;
  /** Stops between slabs (another item was opened). */
  signal: AbortSignal;
}

/**
 * Fetches an image whole, one slab (about 8 MiB, getImageSlab) after another, into one array of the type the engine
 * sends. A slab at a time keeps each reply quick to decode, so the page never stalls on one large answer, and tells
 * the progress. Null when it would pass the budget or was stopped.
 */
export async function fetchGreyVolume(
  size: [number, number, number],
  fetchSlab: (from: number) => Promise<ImageSlab>,
  { budgetBytes, onProgress, signal }: FetchOptions,
): Promise<GreyVolume | null> {
  const plane = size[0] * size[1];
  const depth = size[2];
  let data: VoxelArray | null = null;
  let type: VoxelType | null = null;
  for (let from = 0; from < depth;) {
    if (signal.aborted) return null;
    const slab = await fetchSlab(from);
    if (signal.aborted) return null;
    if (!data) {
      type = slab.type;
      const Ctor = VOXEL_ARRAYS[slab.type];
      if (plane * depth * Ctor.BYTES_PER_ELEMENT > budgetBytes) return null;
      data = new Ctor(plane * depth);
    }
    if (slab.type !== type || slab.from !== from || slab.data.length !== slab.count * plane || from + slab.count > depth)
      throw new Error(`slab of slices ${slab.from}..${slab.from + slab.count - 1} does not fit the image at slice ${from}`);
    // Same type on both sides: a plain copy.
    data.set(slab.data as never, from * plane);
    from += slab.count;
    onProgress(from / depth);
  }
  return data && { size, data };
}
