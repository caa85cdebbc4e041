import type { Slice } from '../data/extract-slice.js';
import { stack, windowImage, windowMask } from './model-input.js';
import { nearestSlices } from './nearest-slices.js';
import { alignedMaskWindow, type SliceWarps } from './slice-warps.js';
import type { Roi } from './support-roi.js';

/** Where support examples come from: each labelled slice's normalised image and its labels. */
export interface ExampleSource {
  imageOf: (slice: number) => Slice;
  labelsOf: (slice: number) => Slice<Uint8Array>;
}

/** Support examples as the network takes them: `count` stacked size x size windows of images and of masks. */
export interface SupportInputs {
  images: Float32Array;
  masks: Float32Array;
  count: number;
}

/**
 * The network's support inputs for label `value` from the labelled slices `pool`, each cut to the window `roi`
 * at size x size: stacked images and binary masks, and how many examples they hold. With `carry`, each example is
 * first carried onto the query slice along the registration (slice-warps.ts), so that the network compares its
 * query with examples aligned with it; propagation and its leave-one-out build their support here so that both see
 * the same examples. When fewer examples than `carry.fillTo` are carried, the nearest ones join again as painted
 * (uncarried) up to that count: with 3 labelled slices the network otherwise sees 3 examples, and the uncarried
 * copies add the anatomy a long registration chain blurs (on trained regions with 3 labelled slices +0.3 Dice,
 * ahead on 16 of 16; MODEL_CARD.md).
 */
export function supportWindows(
  pool: readonly number[],
  value: number,
  source: ExampleSource,
  window: { roi: Roi | undefined; size: number },
  carry?: { warps: SliceWarps; to: number; fillTo?: number },
): SupportInputs {
  const { roi, size } = window;
  const images = (slices: readonly number[]) => slices.map((l) => windowImage(source.imageOf(l), roi, size));
  const masks = (slices: readonly number[]) => slices.map((l) => windowMask(source.labelsOf(l), roi, size, value));
  if (!carry) return { images: stack(images(pool)), masks: stack(masks(pool)), count: pool.length };
  const { warps, to } = carry;
  const again = nearestSlices(to, pool, Math.min(pool.length, (carry.fillTo ?? 0) - pool.length));
  return {
    images: stack([...pool.map((l) => windowImage(warps.warpImage(source.imageOf(l), l, to), roi, size)), ...images(again)]),
    masks: stack([...pool.map((l) => alignedMaskWindow(warps, source.labelsOf(l), value, l, to, roi, size)), ...masks(again)]),
    count: pool.length + again.length,
  };
}

/** Two sets of support inputs as one, `a`'s examples first. */
export function joinSupport(a: SupportInputs, b: SupportInputs): SupportInputs {
  const join = (x: Float32Array, y: Float32Array) => {
    const out = new Float32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return { images: join(a.images, b.images), masks: join(a.masks, b.masks), count: a.count + b.count };
}
