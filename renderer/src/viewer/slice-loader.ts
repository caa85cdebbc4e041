import type { LabelSlice, Slice } from '../../../core/api.js';
import type { Axis } from './orientation.js';

export interface SliceRef {
  studyId: string;
  itemId: string;
  axis: Axis;
  index: number;
  /** Fetch the label slice too (the item has a label map); `labelsVersion` changes when the map is replaced. */
  labels: boolean;
  labelsVersion: string;
}

export interface SlicePair {
  slice: Slice;
  labels: LabelSlice | null;
}

interface Fetchers {
  slice(ref: SliceRef): Promise<Slice>;
  labels(ref: SliceRef): Promise<LabelSlice | null>;
}

/**
 * Slices already fetched, most recent last, so scrolling back and forth costs no round trip; neighbours of the
 * slice on screen are fetched ahead. Failed fetches are forgotten so that a retry can succeed.
 */
export class SliceLoader {
  private cache = new Map<string, Promise<SlicePair>>();

  constructor(
    private readonly fetchers: Fetchers,
    // 64 slices of 512x512 float32 with labels: about 80 MB.
    private readonly capacity = 64,
  ) {}

  get(ref: SliceRef): Promise<SlicePair> {
    const key = `${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}/${ref.labels ? ref.labelsVersion : '-'}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const pending = Promise.all([this.fetchers.slice(ref), ref.labels ? this.fetchers.labels(ref) : null]).then(([slice, labels]) => ({
      slice,
      labels,
    }));
    this.cache.set(key, pending);
    pending.catch(() => this.cache.delete(key));
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return pending;
  }

  /** Starts fetching the slices around `ref`; errors there are for a later `get` to report. */
  prefetch(ref: SliceRef, count: number, radius: number): void {
    for (let d = 1; d <= radius; d++) {
      for (const index of [ref.index + d, ref.index - d]) {
        if (index >= 0 && index < count) this.get({ ...ref, index }).catch(() => undefined);
      }
    }
  }
}
