import type { LabelChanges, LabelSlice } from '../../../core/contract/index.js';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { insertSlice } from '../../../core/data/insert-slice.js';
import type { Axis } from '../../../core/data/volume.js';

/** Tries to reach a revision before showing what the engine has (it may have restarted and counts afresh). */
const MAX_FETCHES = 3;

/** Bytes of the map copied per task (about 1-5 ms each). */
const COPY_CHUNK = 1 << 20;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The page's copy of an item's label map, at a known project revision. The engine's map stays the one source of
 * truth: the copy changes only by what the engine answers (getLabelChanges: the slices changed since the copy's
 * revision, or the whole map) and by an edit the engine has just acknowledged with the revision it made.
 */
export class LabelReplica {
  /** Null while the item has no map: as good as all zero, which is how a new map starts. */
  private data: Uint8Array | null = null;
  /** The project revision the copy is at; -1 before the first answer. */
  private at = -1;
  private fetching: Promise<void> | null = null;

  constructor(
    private readonly size: [number, number, number],
    private readonly fetchChanges: (since: number | undefined) => Promise<LabelChanges>,
  ) {}

  /** The copy has arrived once: slices can be cut from it (at a revision reach() brings it to). */
  get ready(): boolean {
    return this.at >= 0;
  }

  get revision(): number {
    return this.at;
  }

  /** Resolves once the copy is at `revision` or newer (fetching what changed), or as near as the engine gets. */
  async reach(revision: number): Promise<void> {
    for (let n = 0; this.at < revision && n < MAX_FETCHES; n++) {
      this.fetching ??= this.fetchOnce().finally(() => (this.fetching = null));
      await this.fetching;
    }
  }

  /** The slice at `index` across `axis`, as getLabelSlice answers it (null: no map). */
  slice(axis: Axis, index: number): LabelSlice | null {
    return this.data && extractSlice({ data: this.data, size: this.size }, axis, index);
  }

  /**
   * A copy of the whole map (null: none), for the 3D view's worker, which takes the buffer over. Copied a slab at
   * a time, each in a task of its own: a 16 MiB map copied at once held the main thread ~100 ms while the views
   * drew. An edit or a new answer between slabs starts the copy over, so it is never of two revisions.
   */
  async copy(): Promise<Uint8Array | null> {
    for (;;) {
      const source = this.data;
      const at = this.at;
      if (!source) return null;
      const out = new Uint8Array(source.length);
      for (let from = 0; from < source.length; from += COPY_CHUNK) {
        if (from > 0) {
          await nextTask();
          if (this.data !== source || this.at !== at) break;
        }
        out.set(source.subarray(from, from + COPY_CHUNK), from);
      }
      if (this.data === source && this.at === at) return out;
    }
  }

  /**
   * An edit the engine acknowledged at `revision`: when the copy is at the revision just before, the slice is all
   * that changed, and no answer from the engine is needed.
   */
  seed(revision: number, axis: Axis, index: number, slice: LabelSlice): void {
    if (this.at !== revision - 1) return;
    insertSlice({ data: this.map(), size: this.size }, axis, index, slice);
    this.at = revision;
  }

  private async fetchOnce(): Promise<void> {
    const since = this.at;
    const { revision, changes } = await this.fetchChanges(since < 0 ? undefined : since);
    // A seed got in first: this answer may be older than the copy; the next fetch asks from the seed on.
    if (this.at !== since) return;
    if (changes.kind === 'none') this.data = null;
    else if (changes.kind === 'whole') {
      if (changes.data.length !== this.size[0] * this.size[1] * this.size[2]) throw new Error('the label map does not fit the image');
      this.data = changes.data;
    } else for (const s of changes.slices) insertSlice({ data: this.map(), size: this.size }, s.axis, s.index, s);
    this.at = revision;
  }

  private map(): Uint8Array {
    return (this.data ??= new Uint8Array(this.size[0] * this.size[1] * this.size[2]));
  }
}
