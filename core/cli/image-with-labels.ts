import path from 'node:path';
import { gridMismatch } from '../data/grid-mismatch.js';
import { readLabelMap } from '../data/read-label-map.js';
import { readSourceVolume } from '../infer/read-source-volume.js';

/**
 * IMAGE and LABELS as `stats` and `mesh` take them: the image (a file or a DICOM series folder) and a label map on
 * its voxel grid, with the segments the label file names (DICOM SEG, .seg.nrrd), else null. A DICOM SEG is placed
 * on the image's grid as it is read, so the image comes first.
 */
export async function readImageWithLabels(imageFile: string, labelsFile: string) {
  const image = await readSourceVolume(imageFile);
  const { labels, segments } = await readLabelMap(path.resolve(labelsFile), image);
  const mismatch = gridMismatch(image, labels);
  if (mismatch) throw new Error(`${labelsFile}: not on the voxel grid of ${imageFile} (${mismatch})`);
  return { image, labels, segments };
}
