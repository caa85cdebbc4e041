import path from 'node:path';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import type { LabelVolume, Volume } from '../../core/data/volume.js';

/** Colin27's T1 from `data` (../shared/data/train/colin27) and its AAL map with only `regions` kept, under their ids. */
export async function colin27Regions(data: string, regions: readonly number[]): Promise<{ image: Volume; labels: LabelVolume }> {
  const image = await readVolume(path.join(data, 'ch2.nii.gz'));
  const atlas = await readLabelVolume(path.join(data, 'aal_cortical.nii.gz'));
  const keep = new Uint8Array(256);
  for (const r of regions) keep[r] = r;
  return { image, labels: { ...atlas, data: atlas.data.map((v) => keep[v]!) } };
}
