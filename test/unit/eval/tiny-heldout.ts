import path from 'node:path';
import type { LabelVolume, Volume } from '../../../core/data/volume.js';
import type { HeldoutData } from '../../../core/eval/heldout-data.js';
import { readWeightsFile } from '../../../core/model/weights-file.js';
import { Model } from '../../../core/model/model.js';
import { UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

/** The reference network with random weights at `size` x `size` (fully convolutional), one thread. */
export async function randomModel(size: number): Promise<Model> {
  const file = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
  return new Model({ ...file.config, inputSize: size }, file.weights, { device: 'cpu', threads: 1 });
}

/** A label map of size nx x ny x nz with voxel (i, j, k) = label(i, j, k), and an image that shows it. */
export function tinyHeldout(
  size: [number, number, number],
  label: (i: number, j: number, k: number) => number,
  regions: HeldoutData['regions'],
): HeldoutData {
  const [nx, ny, nz] = size;
  const data = new Uint8Array(nx * ny * nz);
  for (let k = 0, idx = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, idx++) data[idx] = label(i, j, k);
  const geometry = {
    size,
    spacing: [1, 1, 1] as [number, number, number],
    origin: [0, 0, 0] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3 as const,
    source: 'tiny',
  };
  const labels: LabelVolume = { ...geometry, data };
  // Each label its own grey, over a gentle ramp so that no slice is flat.
  const image: Volume = { ...geometry, data: Float32Array.from(data, (v, idx) => 100 + 7 * (v % 13) + (idx % nx) / nx) };
  return { name: 'tiny', image, labels, regions };
}

/** Region 5: a cylinder (radius 6 around (8, 12)) through k = 3..22; region 10: a box; label 7 is not held out. */
export function twoRegions(): HeldoutData {
  return tinyHeldout(
    [24, 24, 30],
    (i, j, k) =>
      (i - 8) ** 2 + (j - 12) ** 2 <= 36 && k >= 3 && k <= 22
        ? 5
        : i >= 15 && i <= 21 && j >= 4 && j <= 19 && k >= 6 && k <= 25
          ? 10
          : j >= 21
            ? 7
            : 0,
    [
      { id: 5, name: 'Cylinder' },
      { id: 10, name: 'Box' },
    ],
  );
}
