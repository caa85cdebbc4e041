import type { Slice } from '../data/extract-slice.js';
import { resizeNearest } from '../data/resize-nearest.js';
import { toModelInput } from '../data/to-model-input.js';
import type { ModelConfig } from '../model/config.js';

/** A grey slice as this model takes it: its own input size and intensity normalisation, read from the model file. */
export function imageInput(slice: Slice, config: ModelConfig): Float32Array {
  return toModelInput(slice, config.inputSize, config.normalisation);
}

/**
 * A binary support label at the model's input size: 1 where the slice holds `value` (any non-zero value when
 * none is given). Nearest-neighbour resampling, as training prepares its labels.
 */
export function maskInput(slice: Slice<Uint8Array>, config: ModelConfig, value?: number): Float32Array {
  const binary = slice.data.map(value === undefined ? (v) => (v ? 1 : 0) : (v) => (v === value ? 1 : 0));
  const size = config.inputSize;
  return Float32Array.from(resizeNearest(binary, slice.width, slice.height, size, size));
}

/** Stacks equally sized planes into one (count, 1, H, W) buffer. */
export function stack(planes: readonly Float32Array[]): Float32Array {
  const plane = planes[0]?.length ?? 0;
  const out = new Float32Array(plane * planes.length);
  planes.forEach((p, i) => out.set(p, i * plane));
  return out;
}
