import { z } from 'zod';
import {
  AxisSchema,
  DEFAULT_PROPAGATION,
  newSegment,
  PropagationDefaultsSchema,
  PropagationReportSchema,
  PropagationSettingsSchema,
  SegmentDefSchema,
  type LabelInfo,
  type Project as ProjectInfo,
  type PropagationReport,
  type PropagationSettings,
  type SegmentDef,
  type SliceStatus,
} from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import { extractSlice, type Slice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { sliceLayout } from '../data/slice-layout.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
import { gridMismatch } from '../data/grid-mismatch.js';
import { LabelLog, type SliceAt } from './label-log.js';

/** The image grid a project's maps lie on (a Volume without its voxels). */
export type Grid = Omit<Volume, 'data' | 'modality'>;

/** project.json: everything but the voxel maps, which sit beside it as .nii.gz files. */
export const ProjectStateSchema = z.object({
  version: z.literal(1),
  itemId: z.string(),
  axis: AxisSchema,
  segments: z.array(SegmentDefSchema),
  support: z.array(z.int().nonnegative()),
  painted: z.array(z.int().nonnegative()),
  predicted: z.array(z.int().nonnegative()),
  /** Mean ensemble spread of each predicted slice, as [index, value] pairs. */
  uncertainty: z.array(z.tuple([z.int().nonnegative(), z.number().nonnegative()])),
  /** What each predicted slice was predicted from (propagateVolume's signatures), so a re-run skips what is unchanged. */
  signatures: z.array(z.tuple([z.int().nonnegative(), z.string().max(64)])).default([]),
  // Projects saved before the weight was a setting propagated with what is now its default; before the extents,
  // every label ended where its support said.
  propagation: PropagationSettingsSchema.extend({
    networkWeight: PropagationDefaultsSchema.shape.networkWeight,
    extents: PropagationDefaultsSchema.shape.extents,
  }),
  /** What the last propagation decided per label (absent in projects saved before it was kept). */
  propagationReport: PropagationReportSchema.nullable().default(null),
  /** Weights chosen for this item; null: the engine's default. */
  model: z.string().nullable(),
  /** The label file the user loaded, if any. */
  labelsFrom: z.string().nullable(),
  updatedAt: z.string(),
});
export type ProjectState = z.infer<typeof ProjectStateSchema>;

type Status = Exclude<SliceStatus, 'none'>;

/**
 * The work on one study item in memory: its label map, what each slice along the project axis holds, the labels'
 * names and colours, and the last propagation's uncertainty. Every change bumps `revision`; ProjectStore saves it.
 */
export class Project {
  labels: LabelVolume | null = null;
  uncertainty: Volume | null = null;
  segments: SegmentDef[] = [];
  propagation: PropagationSettings = { ...DEFAULT_PROPAGATION };
  propagationReport: PropagationReport | null = null;
  model: string | null = null;
  labelsFrom: string | null = null;
  revision = 0;
  /** Revision of the uncertainty map, so it is written only when it changed. */
  uncertaintyRevision = 0;
  savedAt: string | null = null;
  saveError: string | null = null;
  /** What opening found wrong with the saved project and put right (an interrupted save); null when nothing. */
  recovery: string | null = null;
  private readonly status = new Map<number, Status>();
  private readonly spread = new Map<number, number>();
  private readonly signatures = new Map<number, string>();
  /** Voxels per label value, kept up to date slice by slice (recounting a large volume per stroke is too slow). */
  private readonly counts = new Float64Array(256);
  /** Which slices each revision changed, for viewers holding a copy of the map (labelChangesSince). */
  private readonly labelLog = new LabelLog();

  constructor(
    readonly folder: string,
    readonly itemId: string,
    readonly grid: Grid,
    private workAxis: Axis = 2,
  ) {}

  /** Index axis the slices of the workflow (support, painted, predicted) are cut across. */
  get axis(): Axis {
    return this.workAxis;
  }

  /** Rebuilds a project from its saved state and maps (already checked to lie on `grid`). */
  static restore(folder: string, grid: Grid, state: ProjectState, labels: LabelVolume | null, uncertainty: Volume | null): Project {
    const project = new Project(folder, state.itemId, grid, state.axis);
    const slices = grid.size[state.axis];
    const valid = (s: number) => s < slices;
    for (const s of state.painted.filter(valid)) project.status.set(s, 'painted');
    for (const s of state.predicted.filter(valid)) project.status.set(s, 'predicted');
    for (const s of state.support.filter(valid)) project.status.set(s, 'support');
    for (const [s, value] of state.uncertainty) if (project.status.get(s) === 'predicted') project.spread.set(s, value);
    for (const [s, signature] of state.signatures) if (project.status.get(s) === 'predicted') project.signatures.set(s, signature);
    project.segments = state.segments;
    project.propagation = state.propagation;
    project.propagationReport = state.propagationReport;
    project.model = state.model;
    project.labelsFrom = state.labelsFrom;
    project.uncertainty = uncertainty;
    if (labels) project.adopt(labels);
    return project;
  }

  state(): ProjectState {
    return {
      version: 1,
      itemId: this.itemId,
      axis: this.axis,
      segments: this.segments,
      support: this.slicesWith('support'),
      painted: this.slicesWith('painted'),
      predicted: this.slicesWith('predicted'),
      uncertainty: [...this.spread].sort((a, b) => a[0] - b[0]),
      signatures: [...this.signatures].sort((a, b) => a[0] - b[0]),
      propagation: this.propagation,
      propagationReport: this.propagationReport,
      model: this.model,
      labelsFrom: this.labelsFrom,
      updatedAt: new Date().toISOString(),
    };
  }

  statusOf(index: number): SliceStatus {
    return this.status.get(index) ?? 'none';
  }

  /** Mean ensemble spread of a predicted slice; null for any other. */
  spreadOf(index: number): number | null {
    return this.statusOf(index) === 'predicted' ? (this.spread.get(index) ?? 0) : null;
  }

  /** What each predicted slice was predicted from, for propagateVolume's `previous`. */
  predictionSignatures(): [number, string][] {
    return [...this.signatures];
  }

  slicesWith(status: Status): number[] {
    return [...this.status]
      .filter(([, s]) => s === status)
      .map(([index]) => index)
      .sort((a, b) => a - b);
  }

  /** A label file replaces the map; its labelled slices become support, since the user made them. */
  attach(labels: LabelVolume, file: string): void {
    const mismatch = gridMismatch(this.grid, labels);
    if (mismatch) throw new ApiError('bad-request', `${file}: does not lie on the image's voxel grid (${mismatch})`);
    this.status.clear();
    this.spread.clear();
    this.signatures.clear();
    this.uncertainty = null;
    this.uncertaintyRevision++;
    // The map is the project's own copy now: autosaves go to the project, the file it came from changes only by an export.
    this.adopt({ ...labels, source: this.grid.source });
    for (let s = 0; s < this.grid.size[this.axis]; s++) if (this.sliceHasLabels(s)) this.status.set(s, 'support');
    this.labelsFrom = file;
    this.touch();
    this.labelLog.whole(this.revision);
  }

  /**
   * Cuts the workflow's slices across another axis (the user paints in another view). What each slice along the
   * old axis was means nothing along the new one: every slice of the new axis holding labels is the user's
   * (painted, for the user to mark as support there), and the predictions' marks, uncertainty, report and label
   * extents, all counted along the old axis, are dropped. The labels themselves stay as they are.
   */
  setAxis(axis: Axis): void {
    if (axis === this.workAxis) return;
    this.workAxis = axis;
    this.status.clear();
    this.spread.clear();
    this.signatures.clear();
    this.uncertainty = null;
    this.uncertaintyRevision++;
    this.propagationReport = null;
    this.propagation = { ...this.propagation, extents: [] };
    for (let s = 0; s < this.grid.size[axis]; s++) if (this.sliceHasLabels(s)) this.status.set(s, 'painted');
    this.touch();
  }

  /** Replaces one slice (an edit, along any axis); an item without labels gets an empty map on its grid first. */
  replaceSlice(axis: Axis, index: number, slice: Slice<Uint8Array>, status?: SliceStatus): void {
    const map = this.labelMap();
    const before = extractSlice(map, axis, index);
    if (slice.width !== before.width || slice.height !== before.height || slice.data.length !== before.data.length) {
      throw new ApiError(
        'bad-request',
        `label slice is ${slice.width}x${slice.height} with ${slice.data.length} values; axis ${axis} needs ${before.width}x${before.height}`,
      );
    }
    insertSlice(map, axis, index, slice);
    count(this.counts, before.data, -1);
    count(this.counts, slice.data, 1);
    this.addMissingSegments(slice.data);
    if (axis === this.axis) {
      // An erased slice holds nothing again, unless it is support (where "nothing here" is an answer).
      const painted = slice.data.some((v) => v !== 0) ? 'painted' : 'none';
      this.setStatusQuietly(index, status ?? (this.statusOf(index) === 'support' ? 'support' : painted));
    } else {
      // Cut across the project axis, an edit touches many of its slices: each changed one is now the user's, or,
      // left without labels (an erase, an undo in another view), nothing again, as an edit along the axis does.
      for (const [s, lineHasLabels] of this.changedSlices(axis, index, before.data, slice.data)) {
        if (this.statusOf(s) !== 'support') this.setStatusQuietly(s, lineHasLabels || this.sliceHasLabels(s) ? 'painted' : 'none');
      }
    }
    this.touch();
    this.labelLog.slice(this.revision, axis, index);
  }

  /** Marks a slice along the project axis; a slice holding labels is never 'none' (it is the user's: painted). */
  setStatus(index: number, status: SliceStatus): void {
    const count = this.grid.size[this.axis];
    if (index >= count)
      throw new ApiError('bad-request', `slice ${index} does not exist: axis ${this.axis} has ${count} slices (0..${count - 1})`);
    this.setStatusQuietly(index, status);
    this.touch();
  }

  setSegments(segments: SegmentDef[]): void {
    const given = new Set(segments.map((s) => s.value));
    const missing = this.presentValues().filter((v) => !given.has(v));
    if (missing.length > 0) {
      throw new ApiError(
        'bad-request',
        `label ${missing[0]} still has ${this.counts[missing[0]!]!.toLocaleString('en')} voxels: erase them before removing the label`,
      );
    }
    this.segments = [...segments].sort((a, b) => a.value - b.value);
    this.touch();
  }

  /**
   * Takes other labels' names and colours for their values (the support's, before a prediction of an image nobody
   * painted), replacing its own definitions of those values.
   */
  takeSegmentDefs(defs: readonly SegmentDef[]): void {
    const taken = new Set(defs.map((d) => d.value));
    const next = [...this.segments.filter((s) => !taken.has(s.value)), ...defs].sort((a, b) => a.value - b.value);
    if (JSON.stringify(next) === JSON.stringify(this.segments)) return;
    this.segments = next;
    this.touch();
  }

  setPropagation(settings: PropagationSettings): void {
    this.propagation = settings;
    this.touch();
  }

  setPropagationReport(report: PropagationReport): void {
    this.propagationReport = report;
    this.touch();
  }

  setModel(model: string | null): void {
    this.model = model;
    this.touch();
  }

  /**
   * A slice predicted by a propagation job. Slices the user labelled meanwhile are kept. `only`: the label values
   * predicted; others already on the slice stay (all of them are replaced when it is null). `signature`: what it
   * was predicted from (propagateVolume), so that the next propagation can keep it when that has not changed.
   */
  applyPrediction(
    index: number,
    predicted: Slice<Uint8Array>,
    spread: Float32Array | null,
    only: ReadonlySet<number> | null,
    signature?: string,
  ): boolean {
    const status = this.statusOf(index);
    if (status === 'support' || status === 'painted') return false;
    const map = this.labelMap();
    const before = extractSlice(map, this.axis, index);
    const merged = only === null ? predicted.data : before.data.map((old, i) => predicted.data[i] || (only.has(old) ? 0 : old));
    insertSlice(map, this.axis, index, { ...predicted, data: merged });
    count(this.counts, before.data, -1);
    count(this.counts, merged, 1);
    this.addMissingSegments(merged);
    this.status.set(index, 'predicted');
    const uncertainty = (this.uncertainty ??= { ...this.grid, data: new Float32Array(map.data.length) });
    const plane = spread ?? new Float32Array(merged.length);
    insertFloatSlice(uncertainty, this.axis, index, plane);
    this.spread.set(index, plane.reduce((a, b) => a + b, 0) / Math.max(1, plane.length));
    if (signature) this.signatures.set(index, signature);
    else this.signatures.delete(index);
    this.uncertaintyRevision++;
    this.touch();
    this.labelLog.slice(this.revision, this.axis, index);
    return true;
  }

  /**
   * The label slices changed since revision `since`; null when only the whole map can bring a copy from then up to
   * date (see LabelLog.since). A map created empty by a first edit needs no entry: a copy without one is all zero.
   */
  labelChangesSince(since: number): SliceAt[] | null {
    return this.labelLog.since(since, this.revision);
  }

  labelInfo(): LabelInfo {
    const labels: LabelInfo['labels'] = [];
    for (const value of this.presentValues()) labels.push({ value, voxels: this.counts[value]! });
    return { path: this.labelsFrom, labels };
  }

  info(studyId: string, itemId: string, model: { name: string; path: string }): ProjectInfo {
    const support = this.slicesWith('support');
    const predicted = this.slicesWith('predicted');
    const distance = (s: number) => Math.min(...support.map((l) => Math.abs(l - s)), Infinity);
    // Most uncertain first; without an ensemble (all zero) the slices farthest from any support first.
    const review = predicted
      .map((index) => ({ index, uncertainty: this.spread.get(index) ?? 0 }))
      .sort((a, b) => b.uncertainty - a.uncertainty || distance(b.index) - distance(a.index) || a.index - b.index);
    const perLabel = new Map<number, number>();
    if (this.labels) {
      for (const s of support)
        for (const v of new Set(extractSlice(this.labels, this.axis, s).data)) if (v) perLabel.set(v, (perLabel.get(v) ?? 0) + 1);
    }
    return {
      ...this.labelInfo(),
      studyId,
      itemId,
      folder: this.folder,
      axis: this.axis,
      segments: this.segments,
      support,
      painted: this.slicesWith('painted'),
      predicted,
      review,
      supportCounts: this.segments.map((s) => ({ value: s.value, slices: perLabel.get(s.value) ?? 0 })),
      hasUncertainty: this.uncertainty !== null,
      propagation: this.propagation,
      propagationReport: this.propagationReport,
      model,
      revision: this.revision,
      savedAt: this.savedAt,
      saveError: this.saveError,
      recovery: this.recovery,
    };
  }

  /** A project always shows at least one label to paint with. */
  ensureSegment(): void {
    if (this.segments.length === 0) this.segments = [newSegment(1)];
  }

  labelMap(): LabelVolume {
    if (!this.labels) {
      this.labels = { ...this.grid, data: new Uint8Array(this.grid.size[0] * this.grid.size[1] * this.grid.size[2]) };
      this.counts.fill(0);
      this.counts[0] = this.labels.data.length;
    }
    return this.labels;
  }

  private adopt(labels: LabelVolume): void {
    this.labels = labels;
    this.counts.fill(0);
    count(this.counts, labels.data, 1);
    this.addMissingSegments(labels.data);
  }

  private touch(): void {
    this.revision++;
  }

  private setStatusQuietly(index: number, status: SliceStatus): void {
    const next = status === 'none' && this.sliceHasLabels(index) ? 'painted' : status;
    if (next === 'none') this.status.delete(index);
    else this.status.set(index, next);
    if (next !== 'predicted') {
      this.spread.delete(index);
      this.signatures.delete(index);
    }
  }

  private sliceHasLabels(index: number): boolean {
    return this.labels !== null && extractSlice(this.labels, this.axis, index).data.some((v) => v !== 0);
  }

  private presentValues(): number[] {
    const values: number[] = [];
    for (let v = 1; v < 256; v++) if (this.counts[v]! > 0) values.push(v);
    return values;
  }

  private addMissingSegments(data: Uint8Array): void {
    const known = new Set(this.segments.map((s) => s.value));
    const seen = new Set(data);
    const added = [...seen].filter((v) => v !== 0 && !known.has(v)).map(newSegment);
    if (added.length) this.segments = [...this.segments, ...added].sort((a, b) => a.value - b.value);
  }

  /**
   * Each index along the project axis where two versions of a slice cut across `axis` differ, and whether the
   * edited slice still holds a label on that line (when it does not, the rest of that project slice must be read).
   */
  private changedSlices(axis: Axis, index: number, before: Uint8Array, after: Uint8Array): Map<number, boolean> {
    const { width } = sliceLayout(this.grid.size, axis, index);
    // The slice's columns run along the lower remaining axis, its rows along the higher one.
    const alongColumns = ([0, 1, 2] as const).filter((a) => a !== axis)[0] === this.axis;
    const lineOf = (n: number) => (alongColumns ? n % width : Math.floor(n / width));
    const changed = new Map<number, boolean>();
    for (let n = 0; n < after.length; n++) if (after[n] !== before[n]) changed.set(lineOf(n), false);
    for (let n = 0; n < after.length; n++) if (after[n] !== 0 && changed.has(lineOf(n))) changed.set(lineOf(n), true);
    return changed;
  }
}

function count(counts: Float64Array, data: Uint8Array, sign: 1 | -1): void {
  for (let n = 0; n < data.length; n++) counts[data[n]!]! += sign;
}

function insertFloatSlice(volume: Volume, axis: Axis, index: number, plane: Float32Array): void {
  const { width, height, offset, columnStride, rowStride } = sliceLayout(volume.size, axis, index);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) volume.data[offset + y * rowStride + x * columnStride] = plane[y * width + x]!;
  }
}
