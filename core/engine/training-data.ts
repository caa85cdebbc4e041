import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { extractSlice, type Slice } from '../data/extract-slice.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import { resizeNearest } from '../data/resize-nearest.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writeFloatVolume } from '../infer/write-float-volume.js';
import type { DatasetManifest } from '../train/dataset-source.js';

/** One labelled 2D example the user vouched for: a support slice of a volume, or a support image of a folder. */
export interface TrainingExample {
  image: Slice;
  labels: Slice<Uint8Array>;
}

/** The support slices of a volume's project, along its axis. */
export function supportSlices(image: Volume, labels: LabelVolume, axis: Axis, support: readonly number[]): TrainingExample[] {
  return support.map((s) => ({ image: extractSlice(image, axis, s), labels: extractSlice(labels, axis, s) }));
}

/**
 * Labelled examples as a dataset runTraining reads (`--data`): stacked into one small volume, image and labels,
 * with a manifest. Only support: the examples the user vouched for (painted and predicted ones are not). Cut only
 * across the stack: along i or j it would be unrelated slices side by side. Examples of another size than the
 * first are resampled to it (images bilinearly, labels nearest), as the network resamples every input anyway.
 */
export async function writeTrainingData(dir: string, name: string, examples: readonly TrainingExample[]): Promise<string> {
  const { width, height } = examples[0]!.image;
  const plane = width * height;
  const grey = new Float32Array(plane * examples.length);
  const masks = new Uint8Array(plane * examples.length);
  examples.forEach(({ image, labels }, n) => {
    const same = image.width === width && image.height === height;
    grey.set(same ? image.data : resizeBilinear(image.data, image.width, image.height, width, height), n * plane);
    masks.set(same ? labels.data : resizeNearest(labels.data, labels.width, labels.height, width, height), n * plane);
  });
  const grid = {
    size: [width, height, examples.length] as [number, number, number],
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
  const manifest: DatasetManifest = { name, pairs: [{ image: path.basename(imageFile), labels: path.basename(labelsFile), axes: [2] }] };
  const manifestFile = path.join(dir, 'dataset.json');
  await writeFileAtomic(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifestFile;
}
