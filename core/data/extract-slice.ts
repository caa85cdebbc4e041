import { sliceLayout } from './slice-layout.js';
import type { Axis } from './volume.js';

export interface Slice<T extends Float32Array | Uint8Array = Float32Array> {
  /** Row-major: pixel (x, y) is data[y * width + x]. */
  data: T;
  width: number;
  height: number;
}

type Grid<T> = { data: T; size: [number, number, number] };

/** Copies the slice perpendicular to `axis` at `index` out of a volume or label map (layout: sliceLayout). */
export function extractSlice<T extends Float32Array | Uint8Array>(volume: Grid<T>, axis: Axis, index: number): Slice<T> {
  const { width, height, offset, columnStride, rowStride } = sliceLayout(volume.size, axis, index);
  const data = new (volume.data.constructor as new (n: number) => T)(width * height);
  if (columnStride === 1) {
    for (let y = 0; y < height; y++) {
      const from = offset + y * rowStride;
      data.set(volume.data.subarray(from, from + width), y * width);
    }
  } else {
    for (let y = 0; y < height; y++) {
      const row = offset + y * rowStride;
      for (let x = 0; x < width; x++) data[y * width + x] = volume.data[row + x * columnStride];
    }
  }
  return { data, width, height };
}
