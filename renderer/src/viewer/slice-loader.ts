import { LRUCache } from 'lru-cache';
import type { LabelSlice, Slice, VoxelArray } from '../../../core/contract/index.js';
import type { Axis } from './orientation.js';

export interface SliceRef {
  studyId: string;
  itemId: string;
  axis: Axis;
  index: number;
  /** The project revision the label slice must come from; null when the item has no labels to show. */
  revision: number | null;
  /** Fetch the propagation's uncertainty too. */
  uncertainty: boolean;
}

/** A grey slice as the views use it: the engine's float32, or cut from a held volume in its own type. */
export interface GreySlice {
  width: number;
  height: number;
  data: VoxelArray;
}

export interface SlicePair {
  slice: GreySlice;
  labels: LabelSlice | null;
  uncertainty: Slice | null;
}

interface Fetchers {
  slice(ref: SliceRef): Promise<Slice>;
  labels(ref: SliceRef): Promise<LabelSlice | null>;
  uncertainty(ref: SliceRef): Promise<Slice | null>;
}

/** Loads `key` once: concurrent and later gets share its promise; a failed load is forgotten so a retry can succeed. */
function loadOnce<T>(cache: LRUCache<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.peek(key) === loading && cache.delete(key));
  return loading;
}

/**
 * Slices already fetched, so scrolling back and forth costs no round trip; neighbours of the slice on screen are
 * fetched ahead. Grey slices never change; label and uncertainty slices are kept per project revision, so an edit
 * anywhere makes them stale and they are fetched again (they are small: one byte or four per pixel).
 */
export class SliceLoader {
  private readonly greys: LRUCache<string, Promise<Slice>>;
  private readonly labelSlices: LRUCache<string, Promise<LabelSlice | null>>;
  private readonly spreads: LRUCache<string, Promise<Slice | null>>;

  constructor(
    private readonly fetchers: Fetchers,
    // 64 slices of 512x512 float32: 64 MB, plus their labels.
    capacity = 64,
  ) {
    this.greys = new LRUCache({ max: capacity });
    this.labelSlices = new LRUCache({ max: capacity });
    this.spreads = new LRUCache({ max: capacity });
  }

  get(ref: SliceRef): Promise<SlicePair> {
    return Promise.all([
      this.grey(ref),
      ref.revision === null ? null : this.labels(ref),
      ref.uncertainty && ref.revision !== null ? this.uncertainty(ref) : null,
    ]).then(([slice, labels, uncertainty]) => ({ slice, labels, uncertainty }));
  }

  grey(ref: SliceRef): Promise<Slice> {
    return loadOnce(this.greys, baseKey(ref), () => this.fetchers.slice(ref));
  }

  /** The label slice at `ref.revision` (which must not be null). */
  labels(ref: SliceRef): Promise<LabelSlice | null> {
    return loadOnce(this.labelSlices, `${baseKey(ref)}@${ref.revision}`, () => this.fetchers.labels(ref));
  }

  /** The uncertainty slice at `ref.revision` (which must not be null). */
  uncertainty(ref: SliceRef): Promise<Slice | null> {
    return loadOnce(this.spreads, `${baseKey(ref)}@${ref.revision}`, () => this.fetchers.uncertainty(ref));
  }

  /** What an edit just made of a slice, known here before the engine could send it back. */
  seedLabels(ref: SliceRef, labels: LabelSlice): void {
    if (ref.revision !== null) this.labelSlices.set(`${baseKey(ref)}@${ref.revision}`, Promise.resolve(labels));
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

function baseKey(ref: SliceRef): string {
  return `${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}`;
}
