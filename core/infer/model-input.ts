import type { Slice } from '../data/extract-slice.js';
import { normaliseIntensity } from '../data/normalise-intensity.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import { resizeNearest } from '../data/resize-nearest.js';
import { toModelInput } from '../data/to-model-input.js';
import type { ModelConfig } from '../model/config.js';
import { cropRoi, pasteRoi, type Roi } from './support-roi.js';

/** A grey slice as this model takes it: its own input size and intensity normalisation, read from the model file. */
export function imageInput(slice: Slice, config: ModelConfig): Float32Array {
  return toModelInput(slice, config.inputSize, config.normalisation);
}

/**
 * A binary support label at the model's input size: 1 where the slice holds `value` (any non-zero value when
 * none is given). Nearest-neighbour resampling, as training prepares its labels.
 */
export function maskInput(slice: Slice<Uint8Array>, config: ModelConfig, value?: number): Float32Array {
  return windowMask(slice, undefined, config.inputSize, value);
}

/** A slice with this model's intensity normalisation, at its own size: the window to crop is chosen later. */
export function normalisedSlice(slice: Slice, config: ModelConfig): Slice {
  return { ...slice, data: normaliseIntensity(slice.data, config.normalisation) };
}

/**
 * A normalised slice's window (the whole slice without one) at size x size. Intensities were normalised over the
 * whole slice, as in training, so a window of dark tissue is not stretched to full contrast.
 */
export function windowImage(normalised: Slice, roi: Roi | undefined, size: number): Float32Array {
  if (!roi)
    return normalised.width === size && normalised.height === size
      ? normalised.data
      : resizeBilinear(normalised.data, normalised.width, normalised.height, size, size);
  return resizeBilinear(cropRoi(normalised, roi), roi.size, roi.size, size, size);
}

/**
 * The binary label of a window at size x size: 1 where the slice holds `value` (a label, never 0), or any label
 * without one.
 */
export function windowMask(slice: Slice<Uint8Array>, roi: Roi | undefined, size: number, value?: number): Float32Array {
  // The window is cropped before the label is made binary: propagation calls this per support example and query,
  // and a window is a fraction of the slice.
  const window = roi ? { data: cropRoi(slice, roi), width: roi.size, height: roi.size } : slice;
  const small = resizeNearest(window.data, window.width, window.height, size, size);
  const out = new Float32Array(small.length);
  for (let i = 0; i < out.length; i++) if (value === undefined ? small[i] : small[i] === value) out[i] = 1;
  return out;
}

/**
 * A label slice's pixels as floats: 1 where it holds `value`, 0 elsewhere, for maps that are warped, blended or
 * averaged. A plain loop: TypedArray.from with a mapping function was most of propagation's time where this ran
 * per support example.
 */
export function valueIndicator(labels: Uint8Array, value: number): Float32Array {
  const out = new Float32Array(labels.length);
  for (let i = 0; i < out.length; i++) if (labels[i] === value) out[i] = 1;
  return out;
}

/** A size x size map of the window (or of the whole slice) back on the width x height slice, 0 outside the window. */
export function windowToSlice(map: Float32Array, size: number, roi: Roi | undefined, width: number, height: number): Float32Array {
  if (!roi) return resizeBilinear(map, size, size, width, height);
  return pasteRoi(resizeBilinear(map, size, size, roi.size, roi.size), roi, width, height);
}

/** Maps of several windows (taskRois) on one width x height slice: each pasted back, the larger value where they overlap. */
export function windowsToSlice(
  maps: readonly Float32Array[],
  size: number,
  rois: readonly (Roi | undefined)[],
  width: number,
  height: number,
): Float32Array {
  const [first, ...rest] = maps.map((map, i) => windowToSlice(map, size, rois[i], width, height));
  for (const other of rest) for (let i = 0; i < first!.length; i++) if (other[i]! > first![i]!) first![i] = other[i]!;
  return first!;
}

/** Stacks equally sized planes into one (count, 1, H, W) buffer. */
export function stack(planes: readonly Float32Array[]): Float32Array {
  const plane = planes[0]?.length ?? 0;
  const out = new Float32Array(plane * planes.length);
  planes.forEach((p, i) => out.set(p, i * plane));
  return out;
}
