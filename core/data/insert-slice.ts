import type { Slice } from './extract-slice.js';
import { sliceLayout } from './slice-layout.js';
import type { Axis, LabelVolume } from './volume.js';

/** Writes a slice back into a label map in place: the inverse of extractSlice at the same axis and index. */
export function insertSlice(labels: Pick<LabelVolume, 'data' | 'size'>, axis: Axis, index: number, slice: Slice<Uint8Array>): void {
  const { width, height, offset, columnStride, rowStride } = sliceLayout(labels.size, axis, index);
  if (slice.width !== width || slice.height !== height || slice.data.length !== width * height) {
    throw new RangeError(`slice is ${slice.width}x${slice.height}, axis ${axis} of this label map needs ${width}x${height}`);
  }
  for (let y = 0; y < height; y++) {
    const row = offset + y * rowStride;
    for (let x = 0; x < width; x++) labels.data[row + x * columnStride] = slice.data[y * width + x];
  }
}
