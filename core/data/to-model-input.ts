import type { Slice } from './extract-slice.js';
import { normaliseIntensity, type IntensityMode } from './normalise-intensity.js';
import { resizeBilinear } from './resize-bilinear.js';

/**
 * A slice as the network takes it: intensities to [0, 1] on the full-resolution slice (so the statistics see
 * every pixel), then bilinear resampling to size x size (the aspect ratio is not kept, as in MegaMedical).
 */
export function toModelInput(slice: Slice, size = 128, mode: IntensityMode = 'percentile'): Float32Array {
  const normalised = normaliseIntensity(slice.data, mode);
  if (slice.width === size && slice.height === size) return normalised;
  return resizeBilinear(normalised, slice.width, slice.height, size, size);
}
