import { LRUCache } from 'lru-cache';
import type { LabelSlice, Slice } from '../../../core/contract/index.js';
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

export interface SlicePair {
  slice: Slice;
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
  private readonly grey: LRUCache<string, Promise<Slice>>;
  private readonly labels: LRUCache<string, Promise<LabelSlice | null>>;
  private readonly uncertainty: LRUCache<string, Promise<Slice | null>>;

  constructor(
    private readonly fetchers: Fetchers,
    // 64 slices of 512x512 float32: 64 MB, plus their labels.
    capacity = 64,
  ) {
    this.grey = new LRUCache({ max: capacity });
    this.labels = new LRUCache({ max: capacity });
    this.uncertainty = new LRUCache({ max: capacity });
  }

  get(ref: SliceRef): Promise<SlicePair> {
    const base = `${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}`;
    return Promise.all([
      loadOnce(this.grey, base, () => this.fetchers.slice(ref)),
      ref.revision === null ? null : loadOnce(this.labels, `${base}@${ref.revision}`, () => this.fetchers.labels(ref)),
      ref.uncertainty && ref.revision !== null
        ? loadOnce(this.uncertainty, `${base}@${ref.revision}`, () => this.fetchers.uncertainty(ref))
        : null,
    ]).then(([slice, labels, uncertainty]) => ({ slice, labels, uncertainty }));
  }

  /** What an edit just made of a slice, known here before the engine could send it back. */
  seedLabels(ref: SliceRef, labels: LabelSlice): void {
    if (ref.revision !== null)
      this.labels.set(`${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}@${ref.revision}`, Promise.resolve(labels));
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
