import type { VoxelType } from '../contract/index.js';

/**
 * The smallest type that holds every voxel exactly: scanners write integers (CT in int16, MR in uint16), which the
 * engine holds as float32; sending them as such would double what the viewer fetches and keeps. `min` and `max`
 * are the volume's (intensityStats). A fraction, NaN or an infinity anywhere keeps float32.
 */
export function voxelType(data: Float32Array, min: number, max: number): VoxelType {
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    // Not v !== Math.trunc(v): an infinity equals its truncation.
    if (v - Math.trunc(v) !== 0) return 'float32';
  }
  if (min >= 0 && max <= 255) return 'uint8';
  if (min >= -32768 && max <= 32767) return 'int16';
  if (min >= 0 && max <= 65535) return 'uint16';
  return 'float32';
}
