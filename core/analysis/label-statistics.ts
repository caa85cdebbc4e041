import type { LabelStatistics } from '../contract/index.js';
import { labelExtents } from '../data/label-extents.js';
import { segmentsFor, type Segment } from '../data/segment.js';
import type { LabelVolume, Volume } from '../data/volume.js';

/**
 * Per label present: voxel count, volume from the spacing, mean and SD of the image inside, index extent; names
 * and colours from `segments`, defaults for the others. The image and labels must share one grid.
 */
export function labelStatistics(
  image: Pick<Volume, 'data'>,
  labels: Pick<LabelVolume, 'data' | 'size' | 'spacing'>,
  segments: readonly Segment[] = [],
): LabelStatistics[] {
  if (image.data.length !== labels.data.length)
    throw new RangeError(`the image has ${image.data.length} voxels, the labels ${labels.data.length}`);
  const count = new Float64Array(256);
  const sum = new Float64Array(256);
  for (let n = 0; n < labels.data.length; n++) {
    const v = labels.data[n]!;
    count[v]++;
    sum[v] += image.data[n]!;
  }
  const mean = sum.map((s, v) => (count[v] ? s / count[v]! : 0));
  // Squares of differences from the mean, in a second pass: sums of squares lose the SD of a bright, uniform region.
  const squares = new Float64Array(256);
  for (let n = 0; n < labels.data.length; n++) {
    const v = labels.data[n]!;
    squares[v] += (image.data[n]! - mean[v]!) ** 2;
  }
  const voxelMm3 = labels.spacing[0] * labels.spacing[1] * labels.spacing[2];
  const extents = labelExtents(labels);
  return segmentsFor(labels.data, segments).map(({ value, name, color }) => {
    const e = extents.get(value)!;
    const volumeMm3 = count[value]! * voxelMm3;
    return {
      value,
      name,
      color,
      voxels: count[value]!,
      volumeMm3,
      volumeMl: volumeMm3 / 1000,
      mean: mean[value]!,
      sd: Math.sqrt(squares[value]! / count[value]!),
      extent: [
        [e[0]!, e[1]!],
        [e[2]!, e[3]!],
        [e[4]!, e[5]!],
      ],
    };
  });
}
