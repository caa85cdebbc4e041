import type { Slice } from '../../../core/data/extract-slice.js';
import { valueIndicator } from '../../../core/infer/model-input.js';
import type { SliceWarps } from '../../../core/infer/slice-warps.js';

/**
 * One support example carried from slice `from` onto `to` as its definition reads: the whole image and the label's
 * 0/1 map warped along the registration, the map thresholded at 0.5. Propagation carries only what the network's
 * window takes (alignedMaskWindow); this is what that must equal.
 */
export function carriedExample(warps: SliceWarps, image: Slice, labels: Slice<Uint8Array>, value: number, from: number, to: number) {
  const { width, height } = image;
  const warped = warps.warp(valueIndicator(labels.data, value), width, from, to);
  const mask = Uint8Array.from(warped, (p) => (p > 0.5 ? 1 : 0));
  return { image: warps.warpImage(image, from, to), mask: { data: mask, width, height } };
}
