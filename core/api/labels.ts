import type { LabelInfo } from '../api.js';
import { extractSlice, type Slice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
import { ApiError } from './errors.js';

interface LabelMap {
  labels: LabelVolume;
  /** Voxels per label value, kept up to date slice by slice (recounting a large volume per stroke is too slow). */
  counts: Float64Array;
  path: string | null;
}

/** Label maps attached to study items, one per item: loaded from a file, or painted slice by slice. */
export class LabelMaps {
  private maps = new Map<string, LabelMap>();

  /** Refuses a label map whose voxel grid is not the image's: its labels would land on the wrong anatomy. */
  attach(studyId: string, itemId: string, image: Volume, labels: LabelVolume, file: string | null): LabelInfo {
    const mismatch = gridMismatch(image, labels);
    if (mismatch) throw new ApiError('bad-request', `${file ?? 'label map'}: does not lie on the image's voxel grid (${mismatch})`);
    const map: LabelMap = { labels, counts: new Float64Array(256), path: file };
    count(map.counts, labels.data, 1);
    this.maps.set(key(studyId, itemId), map);
    return infoOf(map);
  }

  get(studyId: string, itemId: string): LabelVolume | null {
    return this.maps.get(key(studyId, itemId))?.labels ?? null;
  }

  info(studyId: string, itemId: string): LabelInfo | null {
    const map = this.maps.get(key(studyId, itemId));
    return map ? infoOf(map) : null;
  }

  /** Replaces one slice (an edit); an item without labels gets an empty map on its grid first. */
  replaceSlice(studyId: string, itemId: string, image: Volume, axis: Axis, index: number, slice: Slice<Uint8Array>): LabelInfo {
    let map = this.maps.get(key(studyId, itemId));
    if (!map) {
      const { data: _grey, modality: _modality, ...grid } = image;
      map = { labels: { ...grid, data: new Uint8Array(image.data.length), source: '' }, counts: new Float64Array(256), path: null };
      map.counts[0] = image.data.length;
      this.maps.set(key(studyId, itemId), map);
    }
    const before = extractSlice(map.labels, axis, index);
    if (slice.width !== before.width || slice.height !== before.height || slice.data.length !== before.data.length) {
      throw new ApiError('bad-request', `label slice is ${slice.width}x${slice.height} with ${slice.data.length} values; axis ${axis} needs ${before.width}x${before.height}`);
    }
    insertSlice(map.labels, axis, index, slice);
    count(map.counts, before.data, -1);
    count(map.counts, slice.data, 1);
    return infoOf(map);
  }

  /** After saving: the map now lives in `file`. */
  savedAs(studyId: string, itemId: string, file: string): LabelInfo {
    const map = this.maps.get(key(studyId, itemId))!;
    map.path = file;
    return infoOf(map);
  }
}

function key(studyId: string, itemId: string): string {
  return `${studyId}/${itemId}`;
}

function count(counts: Float64Array, data: Uint8Array, sign: 1 | -1): void {
  for (let n = 0; n < data.length; n++) counts[data[n]!]! += sign;
}

function infoOf(map: LabelMap): LabelInfo {
  const labels: LabelInfo['labels'] = [];
  for (let value = 1; value < 256; value++) if (map.counts[value]! > 0) labels.push({ value, voxels: map.counts[value]! });
  return { path: map.path, labels };
}

/** Why two grids differ, or null. Positions are compared to a tenth of a voxel, directions to 1e-3. */
function gridMismatch(a: Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>, b: Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>): string | null {
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
