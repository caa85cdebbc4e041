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

/** Most-recently used last; failed loads are forgotten so that a retry can succeed. */
class PromiseCache<T> {
  private entries = new Map<string, Promise<T>>();
  constructor(private readonly capacity: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.entries.get(key);
    if (hit) this.entries.delete(key);
    else {
      hit = load();
      hit.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, hit);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return hit;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, Promise.resolve(value));
  }
}

/**
 * Slices already fetched, so scrolling back and forth costs no round trip; neighbours of the slice on screen are
 * fetched ahead. Grey slices never change; label and uncertainty slices are kept per project revision, so an edit
 * anywhere makes them stale and they are fetched again (they are small: one byte or four per pixel).
 */
export class SliceLoader {
  private readonly grey: PromiseCache<Slice>;
  private readonly labels: PromiseCache<LabelSlice | null>;
  private readonly uncertainty: PromiseCache<Slice | null>;

  constructor(
    private readonly fetchers: Fetchers,
    // 64 slices of 512x512 float32: 64 MB, plus their labels.
    capacity = 64,
  ) {
    this.grey = new PromiseCache(capacity);
    this.labels = new PromiseCache(capacity);
    this.uncertainty = new PromiseCache(capacity);
  }

  get(ref: SliceRef): Promise<SlicePair> {
    const base = `${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}`;
    return Promise.all([
      this.grey.get(base, () => this.fetchers.slice(ref)),
      ref.revision === null ? null : this.labels.get(`${base}@${ref.revision}`, () => this.fetchers.labels(ref)),
      ref.uncertainty && ref.revision !== null ? this.uncertainty.get(`${base}@${ref.revision}`, () => this.fetchers.uncertainty(ref)) : null,
    ]).then(([slice, labels, uncertainty]) => ({ slice, labels, uncertainty }));
  }

  /** What an edit just made of a slice, known here before the engine could send it back. */
  seedLabels(ref: SliceRef, labels: LabelSlice): void {
    if (ref.revision !== null) this.labels.set(`${ref.studyId}/${ref.itemId}/${ref.axis}/${ref.index}@${ref.revision}`, labels);
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
