import type { Axis } from '../data/volume.js';

/** A slice of the label map, named by the axis it is cut across and its index there. */
export interface SliceAt {
  axis: Axis;
  index: number;
}

/** Entries kept: a stroke or a predicted slice is one each, so this covers a propagation of 2,048 slices. */
const CAPACITY = 2048;

/**
 * Which label slices changed at which project revision, so a viewer holding the label map at an older revision
 * can catch up with the slices changed since instead of fetching the whole map after every edit. Revisions that
 * changed no voxel (a support mark, a colour) have no entry.
 */
export class LabelLog {
  private entries: (SliceAt & { revision: number })[] = [];
  /** The log tells every change after this revision; a copy of the map from before it must be fetched whole. */
  private completeAfter = 0;

  constructor(private readonly capacity = CAPACITY) {}

  /** One slice changed, at `revision`. */
  slice(revision: number, axis: Axis, index: number): void {
    this.entries.push({ revision, axis, index });
    if (this.entries.length > this.capacity) this.completeAfter = this.entries.shift()!.revision;
  }

  /** The whole map was replaced (a label file loaded), at `revision`. */
  whole(revision: number): void {
    this.entries = [];
    this.completeAfter = revision;
  }

  /**
   * The slices changed after revision `since` up to `now`, each once; null when the log cannot tell: a map from
   * before a wholesale replacement or past what is kept, or a revision this project never had (`since` > `now`:
   * a copy made by an engine that has since restarted).
   */
  since(since: number, now: number): SliceAt[] | null {
    if (since < this.completeAfter || since > now) return null;
    const seen = new Map<string, SliceAt>();
    for (const e of this.entries) if (e.revision > since) seen.set(`${e.axis}/${e.index}`, { axis: e.axis, index: e.index });
    return [...seen.values()];
  }
}
