import path from 'node:path';
import type { ApiHandlers } from '../contract/index.js';
import { extractSlice } from '../data/extract-slice.js';
import { ensureFolder } from './ensure-folder.js';
import { propagateSupportSet } from './support-set-propagation.js';
import { ApiError } from '../contract/errors.js';
import { exportLabels } from './export-labels.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';
import { PREDICTION_FILE } from '../project/project-files.js';

type ProjectMethods =
  | 'getProject'
  | 'setLabelSlice'
  | 'setSliceStatus'
  | 'setSegments'
  | 'getUncertaintySlice'
  | 'propagate'
  | 'listJobs'
  | 'cancelJob'
  | 'exportLabels';

/** The annotation workflow: a project per item (labels, support, predictions), propagation jobs, export. */
export function projectHandlers(parts: EngineParts): Pick<ApiHandlers, ProjectMethods> {
  const { ctx, studies, projects, jobs } = parts;
  const infoOf = (project: Awaited<ReturnType<EngineParts['projectFor']>>, studyId: string, itemId: string) =>
    project.info(studyId, itemId, modelInfo(project, parts.modelPath));

  return {
    async getProject({ studyId, itemId }) {
      return infoOf(await parts.projectFor(studyId, itemId), studyId, itemId);
    },

    async setLabelSlice({ studyId, itemId, axis, index, slice, status }) {
      const { size } = (await studies.load(studyId, itemId)).volume;
      if (index >= size[axis])
        throw new ApiError('bad-request', `slice ${index} does not exist: axis ${axis} has ${size[axis]} slices (0..${size[axis] - 1})`);
      const project = await parts.projectFor(studyId, itemId);
      project.replaceSlice(axis, index, slice, status);
      projects.changed(project);
      return infoOf(project, studyId, itemId);
    },

    async setSliceStatus({ studyId, itemId, index, status }) {
      const project = await parts.projectFor(studyId, itemId);
      project.setStatus(index, status);
      projects.changed(project);
      return infoOf(project, studyId, itemId);
    },

    async setSegments({ studyId, itemId, segments }) {
      const project = await parts.projectFor(studyId, itemId);
      project.setSegments(segments);
      projects.changed(project);
      return infoOf(project, studyId, itemId);
    },

    async getUncertaintySlice({ studyId, itemId, axis, index }) {
      const project = await parts.projectFor(studyId, itemId);
      const { size } = project.grid;
      if (index >= size[axis])
        throw new ApiError('bad-request', `slice ${index} does not exist: axis ${axis} has ${size[axis]} slices (0..${size[axis] - 1})`);
      return project.uncertainty ? extractSlice(project.uncertainty, axis, index) : null;
    },

    async propagate({ studyId, itemId, labels, slices, ...settings }) {
      const project = await parts.projectFor(studyId, itemId);
      const count = project.grid.size[project.axis];
      if (slices && slices.to >= count)
        throw new ApiError('bad-request', `slices ${slices.from}..${slices.to} reach past the last slice (${count - 1})`);
      const running = jobs.pending('propagate', studyId, itemId);
      if (running)
        throw new ApiError(
          'bad-request',
          `a propagation of this image is already ${running.state} (${running.jobId}): wait for it or cancel it`,
        );
      const support = project.slicesWith('support');
      if (support.length === 0) throw new ApiError('bad-request', 'no support slices yet: paint a few slices and mark them as support (M)');
      const onSupport = new Set(
        support.flatMap((s) => [...new Set(extractSlice(project.labelMap(), project.axis, s).data)]).filter((v) => v !== 0),
      );
      return propagateSupportSet(
        parts,
        {
          kind: 'propagate',
          unit: 'slice',
          studyId,
          itemId,
          supportProjects: [project],
          examples: support.length,
          onSupport,
          check(chosen) {
            const past = chosen.extents.find((e) => e.to >= count);
            if (past)
              throw new ApiError(
                'bad-request',
                `the extent of label ${past.value} (${past.from}..${past.to}) reaches past the last slice (${count - 1})`,
              );
          },
          messageSuffix: slices ? ` to slices ${slices.from + 1}–${slices.to + 1}` : '',
          params: ({ values, settings: chosen, labelsFiles: [labelsFile], model }) => ({
            item: studies.item(studyId, itemId),
            labelsFile: labelsFile!,
            axis: project.axis,
            support,
            painted: project.slicesWith('painted'),
            values,
            ...chosen,
            model,
            predictionFile: path.join(project.folder, PREDICTION_FILE),
            previous: project.predictionSignatures(),
            ...(slices ? { range: [slices.from, slices.to] as [number, number] } : {}),
          }),
          receive: (e) => ({ project, index: e.index, prediction: e, signature: e.signature }),
          targets: [project],
          done({ predicted, unchanged, networkRuns, report }) {
            project.setPropagationReport(report);
            return `${predicted} slices predicted (${networkRuns} network runs)${unchanged ? `; ${unchanged} unchanged since the last propagation` : ''}`;
          },
        },
        { labels, settings },
      );
    },

    async listJobs() {
      return jobs.list();
    },

    async cancelJob({ jobId }) {
      return jobs.cancel(jobId);
    },

    async exportLabels({ studyId, itemId, path: userPath }) {
      const project = await parts.projectFor(studyId, itemId);
      if (!project.labels) throw new ApiError('not-found', 'nothing to export yet: paint or load labels first');
      await ensureFolder(ctx.paths, path.dirname(userPath));
      const file = await ctx.paths.resolveWritable(userPath);
      return exportLabels(file, project.labels, studies.item(studyId, itemId), project.segments);
    },
  };
}
