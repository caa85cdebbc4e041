import { exportLabelSurface } from '../analysis/label-surface-export.js';
import type { ApiHandlers } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import type { EngineParts } from './engine-parts.js';

/** The label map whole, for the 3D view's surfaces (built in the UI's worker), and one label's surface written out. */
export function surfaceHandlers(parts: EngineParts): Pick<ApiHandlers, 'getLabelVolume' | 'exportSurface'> {
  const { ctx, studies } = parts;
  return {
    async getLabelVolume({ studyId, itemId }) {
      const project = await parts.projectFor(studyId, itemId);
      // A copy: a caller in this process may hand the buffer to a worker, which would detach the project's own.
      return project.labels ? { revision: project.revision, data: project.labels.data.slice() } : null;
    },

    async exportSurface({ studyId, itemId, label, path: userPath, smoothing }) {
      const project = await parts.projectFor(studyId, itemId);
      const labels = project.labels;
      const name = project.segments.find((s) => s.value === label)?.name ?? `label ${label}`;
      if (!labels || !project.labelInfo().labels.some((l) => l.value === label))
        throw new ApiError('bad-request', `${name} has no voxels: there is no surface to export`);
      const file = await ctx.paths.resolveWritable(userPath);
      return await exportLabelSurface(file, labels, label, { smoothing: smoothing ?? 0, protect: studies.item(studyId, itemId).paths });
    },
  };
}
