import type { LabelInfo } from '../api.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import { ApiError } from './errors.js';

/** Label maps attached to study items, one per item. */
export class LabelMaps {
  private maps = new Map<string, { labels: LabelVolume; info: LabelInfo }>();

  /** Refuses a label map whose voxel grid is not the image's: its labels would land on the wrong anatomy. */
  attach(studyId: string, itemId: string, image: Volume, labels: LabelVolume, file: string | null): LabelInfo {
    const mismatch = gridMismatch(image, labels);
    if (mismatch) throw new ApiError('bad-request', `${file ?? 'label map'}: does not lie on the image's voxel grid (${mismatch})`);
    const info: LabelInfo = { path: file, labels: countLabels(labels.data) };
    this.maps.set(`${studyId}/${itemId}`, { labels, info });
    return info;
  }

  get(studyId: string, itemId: string): LabelVolume | null {
    return this.maps.get(`${studyId}/${itemId}`)?.labels ?? null;
  }

  info(studyId: string, itemId: string): LabelInfo | null {
    return this.maps.get(`${studyId}/${itemId}`)?.info ?? null;
  }
}

function countLabels(data: Uint8Array): LabelInfo['labels'] {
  const counts = new Float64Array(256);
  for (let n = 0; n < data.length; n++) counts[data[n]!]!++;
  const labels: LabelInfo['labels'] = [];
  for (let value = 1; value < 256; value++) if (counts[value]! > 0) labels.push({ value, voxels: counts[value]! });
  return labels;
}

/** Why two grids differ, or null. Positions are compared to a tenth of a voxel, directions to 1e-3. */
export function gridMismatch(a: Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>, b: Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>): string | null {
  if (a.size.some((s, n) => s !== b.size[n])) return `size ${b.size.join('x')} vs ${a.size.join('x')}`;
  if (a.spacing.some((s, n) => Math.abs(s - b.spacing[n]!) > 1e-3 * Math.max(1, s))) {
    return `spacing ${fmt(b.spacing)} vs ${fmt(a.spacing)} mm`;
  }
  const tolerance = 0.1 * Math.min(...a.spacing);
  if (a.origin.some((o, n) => Math.abs(o - b.origin[n]!) > tolerance)) return `origin ${fmt(b.origin)} vs ${fmt(a.origin)} mm`;
  if (a.direction.some((d, n) => Math.abs(d - (b.direction[n] ?? 0)) > 1e-3)) return 'different orientation';
  return null;
}

function fmt(v: readonly number[]): string {
  return v.map((x) => +x.toFixed(3)).join(', ');
}
