import type { Slice } from '../data/extract-slice.js';
import { stack, windowImage, windowMask } from './model-input.js';
import { alignedExample, type SliceWarps } from './slice-warps.js';
import type { Roi } from './support-roi.js';

/** Where support examples come from: each labelled slice's normalised image and its labels. */
export interface ExampleSource {
  imageOf: (slice: number) => Slice;
  labelsOf: (slice: number) => Slice<Uint8Array>;
}

/**
 * The network's support inputs for label `value` from the labelled slices `pool`, each cut to the window `roi`
 * at size x size: stacked images and binary masks. With `carry`, each example is first carried onto the query slice
 * along the registration (slice-warps.ts), so that the network compares its query with examples aligned with it;
 * propagation and its leave-one-out build their support here so that both see the same examples.
 */
export function supportWindows(
  pool: readonly number[],
  value: number,
  source: ExampleSource,
  window: { roi: Roi | undefined; size: number },
  carry?: { warps: SliceWarps; to: number },
): { images: Float32Array; masks: Float32Array } {
  const { roi, size } = window;
  if (!carry) {
    return {
      images: stack(pool.map((l) => windowImage(source.imageOf(l), roi, size))),
      masks: stack(pool.map((l) => windowMask(source.labelsOf(l), roi, size, value))),
    };
  }
  const carried = pool.map((l) => alignedExample(carry.warps, source.imageOf(l), source.labelsOf(l), value, l, carry.to));
  return { images: stack(carried.map((e) => windowImage(e.image, roi, size))), masks: stack(carried.map((e) => windowMask(e.mask, roi, size, 1))) };
}
