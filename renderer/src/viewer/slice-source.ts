import type { LabelSlice } from '../../../core/contract/index.js';
import { cutSlice, type GreyVolume } from './cut-slice.js';
import type { LabelReplica } from './label-replica.js';
import type { SliceLoader, SlicePair, SliceRef } from './slice-loader.js';

/** The item whose volume the page holds: its image once fetched whole, and its copy of the label map. */
export interface HeldVolume {
  studyId: string;
  itemId: string;
  /** Null until it has arrived whole. */
  grey: GreyVolume | null;
  labels: LabelReplica;
}

/**
 * Where the views get their slices: cut from the volume the page holds (issue #17: scrolling costs no round trip),
 * else, for another item, a volume too large to hold or one still arriving, asked for one by one (SliceLoader).
 * Uncertainty is always asked for by slice: it is shown on request only.
 */
export class SliceSource {
  private held: HeldVolume | null = null;

  constructor(private readonly loader: SliceLoader) {}

  /** Holds this item's volume from now on (what it has of it), instead of any other. */
  hold(volume: HeldVolume | null): void {
    this.held = volume;
  }

  get(ref: SliceRef): Promise<SlicePair> {
    const held = this.heldFor(ref);
    const replica = held?.labels.ready ? held.labels : null;
    return Promise.all([
      held?.grey ? cutSlice(held.grey, ref.axis, ref.index) : this.loader.grey(ref),
      ref.revision === null ? null : replica ? this.cutLabels(replica, ref, ref.revision) : this.loader.labels(ref),
      ref.uncertainty && ref.revision !== null ? this.loader.uncertainty(ref) : null,
    ]).then(([slice, labels, uncertainty]) => ({ slice, labels, uncertainty }));
  }

  /** What an edit just made of a slice, acknowledged by the engine at `ref.revision`. */
  seedLabels(ref: SliceRef, labels: LabelSlice): void {
    this.loader.seedLabels(ref, labels);
    if (ref.revision !== null) this.heldFor(ref)?.labels.seed(ref.revision, ref.axis, ref.index, labels);
  }

  /** Starts fetching the slices around `ref` that are not held here. */
  prefetch(ref: SliceRef, count: number, radius: number): void {
    const held = this.heldFor(ref);
    if (!held?.grey || !held.labels.ready) this.loader.prefetch(ref, count, radius);
  }

  /**
   * The held item's whole label map at `revision` or newer, as getLabelVolume answers it (a copy), so the 3D view
   * need not fetch it again; null when it is not held here (ask the engine).
   */
  labelMap(studyId: string, itemId: string, revision: number): Promise<{ data: Uint8Array } | null> | null {
    const held = this.heldFor({ studyId, itemId });
    if (!held?.labels.ready) return null;
    return held.labels
      .reach(revision)
      .then(() => held.labels.copy())
      .then((data) => data && { data });
  }

  private heldFor(ref: Pick<SliceRef, 'studyId' | 'itemId'>): HeldVolume | null {
    const held = this.held;
    return held && held.studyId === ref.studyId && held.itemId === ref.itemId ? held : null;
  }

  private async cutLabels(replica: LabelReplica, ref: SliceRef, revision: number): Promise<LabelSlice | null> {
    await replica.reach(revision);
    return replica.slice(ref.axis, ref.index);
  }
}
