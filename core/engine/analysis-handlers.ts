import type { ApiHandlers, CleanupOp, CleanupPreview } from '../contract/index.js';
import { cleanUp } from '../analysis/cleanup.js';
import { labelStatistics } from '../analysis/label-statistics.js';
import { sliceGrid } from '../analysis/slice-mask.js';
import { extractSlice } from '../data/extract-slice.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { ApiError } from '../contract/errors.js';
import type { EngineParts } from './engine-parts.js';
import type { Project } from '../project/project.js';

/** Segment statistics and clean-up previews of an item's label map. */
export function analysisHandlers(parts: EngineParts): Pick<ApiHandlers, 'labelStatistics' | 'previewCleanup'> {
  const { studies } = parts;
  return {
    async labelStatistics({ studyId, itemId }) {
      const { volume } = await studies.load(studyId, itemId);
      const project = await parts.projectFor(studyId, itemId);
      return { revision: project.revision, labels: project.labels ? labelStatistics(volume, project.labels, project.segments) : [] };
    },

    async previewCleanup({ studyId, itemId, label, op, scope }) {
      const project = await parts.projectFor(studyId, itemId);
      const labels = project.labels;
      if (!labels) throw new ApiError('bad-request', 'this item has no label map to clean up: paint or load labels first');
      refuseLocked(project, label, op);
      const voxels = new Map(project.labelInfo().labels.map((l) => [l.value, l.voxels]));
      const needed = op.op === 'logical' ? op.other : label;
      if (!voxels.get(needed))
        throw new ApiError('bad-request', `label ${needed} has no voxels${op.op === 'logical' ? ` to ${op.operation}` : ' to clean up'}`);
      if (scope.scope === 'volume') return changedSlices(labels, cleanUp(labels, label, op, project.axis), project.axis, project.revision);
      const { axis, index } = scope;
      if (index >= labels.size[axis])
        throw new ApiError(
          'bad-request',
          `slice ${index} does not exist: axis ${axis} has ${labels.size[axis]} slices (0..${labels.size[axis] - 1})`,
        );
      const slice = extractSlice(labels, axis, index);
      const after = cleanUp({ ...sliceGrid(labels, axis), data: slice.data }, label, op, 2);
      return preview(axis, slice, [{ index, before: slice.data, after }], project.revision);
    },
  };
}

function refuseLocked(project: Project, label: number, op: CleanupOp): void {
  const locked = new Set(project.segments.filter((s) => s.locked).map((s) => s.value));
  // Add and copy take the other label's voxels: it changes too.
  const changed = op.op === 'logical' && (op.operation === 'add' || op.operation === 'copy') ? [label, op.other] : [label];
  const shut = changed.find((v) => locked.has(v));
  if (shut !== undefined) {
    const name = project.segments.find((s) => s.value === shut)?.name ?? `label ${shut}`;
    throw new ApiError('bad-request', `${name} is locked: unlock it to clean it up`);
  }
}

/** The label map and `after` compared slice by slice normal to `axis`. */
function changedSlices(labels: LabelVolume, after: Uint8Array, axis: Axis, revision: number): CleanupPreview {
  const next = { data: after, size: labels.size };
  const slices: CleanupPreview['slices'] = [];
  for (let index = 0; index < labels.size[axis]; index++) {
    slices.push({ index, before: extractSlice(labels, axis, index).data, after: extractSlice(next, axis, index).data });
  }
  return preview(axis, extractSlice(labels, axis, 0), slices, revision);
}

function preview(axis: Axis, shape: { width: number; height: number }, slices: CleanupPreview['slices'], revision: number): CleanupPreview {
  const changed = (s: CleanupPreview['slices'][number]) => s.after.reduce((c, v, n) => c + (v !== s.before[n] ? 1 : 0), 0);
  // Only slices that change travel; an op that changes nothing says so with none.
  const kept = slices.filter((s) => changed(s) > 0);
  return {
    axis,
    width: shape.width,
    height: shape.height,
    slices: kept,
    changedVoxels: kept.reduce((c, s) => c + changed(s), 0),
    revision,
  };
}
