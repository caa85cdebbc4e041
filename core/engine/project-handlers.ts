import path from 'node:path';
import type { ApiHandlers } from '../contract/index.js';
import { extractSlice } from '../data/extract-slice.js';
import type { PropagateJobParams } from '../jobs/propagate-job-spec.js';
import { decodePrediction } from '../jobs/encoded-prediction.js';
import { ensureFolder } from './ensure-folder.js';
import { submitted } from './project-store.js';
import { labelsToPredict, settingsFor } from './propagation-request.js';
import { ApiError } from '../contract/errors.js';
import { exportLabels } from './export-labels.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';
import { PREDICTION_FILE } from '../project/project-files.js';

type ProjectMethods = 'getProject' | 'setLabelSlice' | 'setSliceStatus' | 'setSegments' | 'getUncertaintySlice' | 'propagate' | 'listJobs' | 'cancelJob' | 'exportLabels';

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
      if (index >= size[axis]) throw new ApiError('bad-request', `slice ${index} does not exist: axis ${axis} has ${size[axis]} slices (0..${size[axis] - 1})`);
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
      if (index >= size[axis]) throw new ApiError('bad-request', `slice ${index} does not exist: axis ${axis} has ${size[axis]} slices (0..${size[axis] - 1})`);
      return project.uncertainty ? extractSlice(project.uncertainty, axis, index) : null;
    },

    async propagate({ studyId, itemId, labels, slices, ...settings }) {
      const project = await parts.projectFor(studyId, itemId);
      const count = project.grid.size[project.axis];
      if (slices && slices.to >= count) throw new ApiError('bad-request', `slices ${slices.from}..${slices.to} reach past the last slice (${count - 1})`);
      const running = jobs.pending('propagate', studyId, itemId);
      if (running) throw new ApiError('bad-request', `a propagation of this image is already ${running.state} (${running.jobId}): wait for it or cancel it`);
      const support = project.slicesWith('support');
      if (support.length === 0) throw new ApiError('bad-request', 'no support slices yet: paint a few slices and mark them as support (M)');
      const onSupport = new Set(support.flatMap((s) => [...new Set(extractSlice(project.labelMap(), project.axis, s).data)]).filter((v) => v !== 0));
      const values = labelsToPredict(onSupport, labels, 'slice');
      const chosen = settingsFor(settings, project.propagation);
      const past = chosen.extents.find((e) => e.to >= count);
      if (past) throw new ApiError('bad-request', `the extent of label ${past.value} (${past.from}..${past.to}) reaches past the last slice (${count - 1})`);
      project.setPropagation(chosen);
      // The job reads the labels from disk: they must be there, as they are now.
      await projects.flush(project);
      if (project.saveError) throw new ApiError('internal', project.saveError);

      const only = labels ? new Set(values) : null;
      const saved = projects.pinLabels(project);
      const params: PropagateJobParams = {
        item: studies.item(studyId, itemId),
        labelsFile: saved.file,
        axis: project.axis,
        support,
        painted: project.slicesWith('painted'),
        values,
        ...chosen,
        model: modelInfo(project, parts.modelPath).path,
        predictionFile: path.join(project.folder, PREDICTION_FILE),
        previous: project.predictionSignatures(),
        ...(slices ? { range: [slices.from, slices.to] as [number, number] } : {}),
      };
      return submitted(saved, () => jobs.submit({
        kind: 'propagate',
        params,
        studyId,
        itemId,
        message: `Propagating label${values.length > 1 ? 's' : ''} ${values.join(', ')} from ${support.length} support slice${support.length > 1 ? 's' : ''}${slices ? ` to slices ${slices.from + 1}–${slices.to + 1}` : ''}`,
        onEvent(e) {
          const { labels: predicted, spread } = decodePrediction(e);
          if (project.applyPrediction(e.index, predicted, spread, only, e.signature)) {
            projects.changed(project);
            parts.announce(project);
          }
        },
        async onFinish(outcome) {
          saved.release();
          const done = outcome.status === 'done' ? outcome.value : undefined;
          if (done) project.setPropagationReport(done.report);
          await projects.flush(project);
          parts.announce(project, true);
          if (!done) return undefined;
          const { predicted, unchanged, networkRuns } = done;
          return `${predicted} slices predicted (${networkRuns} network runs)${unchanged ? `; ${unchanged} unchanged since the last propagation` : ''}`;
        },
      }));
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
