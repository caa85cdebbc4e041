import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { extractSlice } from '../data/extract-slice.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
import { writeFileAtomic } from '../data/write-file-atomic.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writeFloatVolume } from '../infer/write-float-volume.js';
import type { DatasetManifest } from '../train/dataset-source.js';

/**
 * The support slices of a project as a dataset runTraining reads (`--data`): the slices stacked into one small
 * volume, image and labels, with a manifest. Only support slices: they are the ones the user vouched for (painted
 * and predicted slices are not). Stacked along k and cut only across k, whatever the project axis.
 */
export async function writeTrainingData(dir: string, name: string, image: Volume, labels: LabelVolume, axis: Axis, support: readonly number[]): Promise<string> {
  const first = extractSlice(image, axis, support[0]!);
  const plane = first.width * first.height;
  const grey = new Float32Array(plane * support.length);
  const masks = new Uint8Array(plane * support.length);
  support.forEach((s, n) => {
    grey.set(extractSlice(image, axis, s).data, n * plane);
    masks.set(extractSlice(labels, axis, s).data, n * plane);
  });
  const grid = {
    size: [first.width, first.height, support.length] as [number, number, number],
    spacing: [1, 1, 1] as [number, number, number],
    origin: [0, 0, 0] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3 as const,
  };
  await mkdir(dir, { recursive: true });
  const imageFile = path.join(dir, 'image.nii.gz');
  const labelsFile = path.join(dir, 'labels.nii.gz');
  await writeFloatVolume(imageFile, { ...grid, data: grey, source: '' });
  await writeLabelVolume(labelsFile, { ...grid, data: masks, source: '' });
  // Across i or j the stack would be a picture of unrelated slices side by side: only the slices themselves are tasks.
  const manifest: DatasetManifest = { name, pairs: [{ image: path.basename(imageFile), labels: path.basename(labelsFile), axes: [2] }] };
  const manifestFile = path.join(dir, 'dataset.json');
  await writeFileAtomic(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifestFile;
}
