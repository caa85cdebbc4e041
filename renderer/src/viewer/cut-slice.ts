import { sliceLayout } from '../../../core/data/slice-layout.js';
import type { VoxelArray } from '../../../core/contract/index.js';
import type { Axis } from '../../../core/data/volume.js';

/** An image held whole in the page, in the engine's voxel order (i fastest, then j, then k). */
export interface GreyVolume {
  size: [number, number, number];
  data: VoxelArray;
}

/**
 * The grey slice getSlice would answer, cut here in the volume's own type (the views read any of them), laid out as
 * the engine's sliceLayout says. An axial slice is a view into the volume, not a copy: converting 512 x 512 voxels
 * to float32 took 3.5 ms of each frame while scrolling.
 */
export function cutSlice(volume: GreyVolume, axis: Axis, index: number): { data: VoxelArray; width: number; height: number } {
  const { width, height, offset, columnStride, rowStride } = sliceLayout(volume.size, axis, index);
  if (columnStride === 1 && rowStride === width) return { data: volume.data.subarray(offset, offset + width * height), width, height };
  const data = new (volume.data.constructor as new (length: number) => VoxelArray)(width * height);
  if (columnStride === 1) {
    // Rows are contiguous (coronal): one copy per row.
    for (let y = 0; y < height; y++)
      data.set(volume.data.subarray(offset + y * rowStride, offset + y * rowStride + width) as never, y * width);
  } else {
    for (let y = 0; y < height; y++) {
      const row = offset + y * rowStride;
      for (let x = 0; x < width; x++) data[y * width + x] = volume.data[row + x * columnStride]!;
    }
  }
  return { data, width, height };
}
