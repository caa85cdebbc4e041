import path from 'node:path';
import type { ApiHandlers, ImageWork, SegmentDef } from '../contract/index.js';
import type { PropagateImagesJobParams } from '../jobs/propagate-images-job-spec.js';
import { decodePrediction } from '../jobs/encoded-prediction.js';
import { outputPaths } from '../infer/output-paths.js';
import { ensureFolder } from './ensure-folder.js';
import { ApiError } from '../contract/errors.js';
import { exportLabels } from './export-labels.js';
import { submitted } from './project-store.js';
import { labelsToPredict, settingsFor } from './propagation-request.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';
import type { Project } from '../project/project.js';
import { IMAGE, studyImages, supportOf } from './study-images.js';

/**
 * Propagation across the 2D images of a folder study: each image keeps its own project, marking an image's slice as
 * support makes it an example, and one job segments all the others from those examples.
 */
export function imageHandlers(parts: EngineParts): Pick<ApiHandlers, 'studyImages' | 'propagateImages' | 'exportImageMasks'> {
  const { studies, projects, jobs } = parts;

  return {
    async studyImages({ studyId }) {
      return (await studyImages(parts, studyId)).map(({ itemId, project, error }): ImageWork => {
        if (!project) return { itemId, status: 'none', labels: [], uncertainty: null, revision: 0, error };
        const info = project.labelInfo();
        const status = project.statusOf(IMAGE);
        return { itemId, status, labels: info.labels.map((l) => l.value), uncertainty: project.spreadOf(IMAGE), revision: project.revision };
      });
    },

    async propagateImages({ studyId, labels, ...settings }) {
      const running = jobs.pending('propagate-images', studyId);
      if (running) throw new ApiError('bad-request', `a propagation across these images is already ${running.state} (${running.jobId}): wait for it or cancel it`);
      const all = await studyImages(parts, studyId);
      if (all.length < 2) throw new ApiError('bad-request', 'this study has no other 2D images to propagate to: propagate within the volume instead');
      const opened = all.filter((a): a is typeof a & { project: Project } => a.project !== undefined);
      const supports = supportOf(all);
      if (supports.length === 0) throw new ApiError('bad-request', 'no support images yet: paint a few images and mark each as support (M)');
      const targets = opened.filter((a) => ['none', 'predicted'].includes(a.project.statusOf(IMAGE)));
      if (targets.length === 0) throw new ApiError('bad-request', 'every image is support or painted: there is nothing left to predict');

      const onSupport = new Set(supports.flatMap((s) => s.project.labelInfo().labels.map((l) => l.value)));
      const values = labelsToPredict(onSupport, labels, 'image');
      // The first support image's settings and model stand for the study (each image keeps its own project).
      const lead = supports[0]!.project;
      const chosen = settingsFor(settings, lead.propagation);
      lead.setPropagation(chosen);
      // The job reads the support labels from disk: they must be there, as they are now.
      for (const s of supports) await projects.flush(s.project);
      const unsaved = supports.find((s) => s.project.saveError);
      if (unsaved) throw new ApiError('internal', unsaved.project.saveError!);

      const names = new Map<number, SegmentDef>();
      for (const s of supports) for (const def of s.project.segments) if (values.includes(def.value) && !names.has(def.value)) names.set(def.value, def);
      const byItem = new Map(targets.map((t) => [t.itemId, t.project]));
      const only = labels ? new Set(values) : null;
      const saved = supports.map((s) => projects.pinLabels(s.project));
      const release = { release: () => saved.forEach((pin) => pin.release()) };
      const params: PropagateImagesJobParams = {
        supports: supports.map((s, n) => ({ item: studies.item(studyId, s.itemId), labelsFile: saved[n]!.file })),
        targets: targets.map((t) => ({ itemId: t.itemId, item: studies.item(studyId, t.itemId) })),
        values,
        ...chosen,
        model: modelInfo(lead, parts.modelPath).path,
      };
      return submitted(release, () => jobs.submit({
        kind: 'propagate-images',
        params,
        studyId,
        message: `Propagating label${values.length > 1 ? 's' : ''} ${values.join(', ')} from ${supports.length} support image${supports.length > 1 ? 's' : ''} to ${targets.length}`,
        onEvent(e) {
          const project = byItem.get(e.itemId);
          // An image the user painted while the job ran is theirs: neither its labels nor their names change.
          if (!project || ['support', 'painted'].includes(project.statusOf(IMAGE))) return;
          project.takeSegmentDefs([...names.values()]);
          const { labels: predicted, spread } = decodePrediction(e);
          if (project.applyPrediction(IMAGE, predicted, spread, only)) {
            projects.changed(project);
            parts.announce(project);
          }
        },
        async onFinish(outcome) {
          release.release();
          for (const project of byItem.values()) {
            await projects.flush(project);
            parts.announce(project, true);
          }
          if (outcome.status !== 'done') return undefined;
          const { predicted, skipped } = outcome.value;
          return `${predicted} image${predicted === 1 ? '' : 's'} predicted${skipped.length ? `; ${skipped.length} skipped: ${skipped[0]}` : ''}`;
        },
      }));
    },

    async exportImageMasks({ studyId, path: userPath }) {
      const folder = await ensureFolder(parts.ctx.paths, userPath);
      const labelled = (await studyImages(parts, studyId)).filter((a) => a.project?.labels && a.project.statusOf(IMAGE) !== 'none');
      if (labelled.length === 0) throw new ApiError('not-found', 'no image of this study is labelled yet: paint or propagate first');
      const items = labelled.map((a) => studies.item(studyId, a.itemId));
      const targets = outputPaths(items, studies.dir(studyId), folder);
      const written: string[] = [];
      for (const [i, { itemId, project }] of labelled.entries()) {
        const wanted = targets.get(itemId)!;
        await ensureFolder(parts.ctx.paths, path.dirname(wanted));
        const file = await parts.ctx.paths.resolveWritable(wanted);
        await exportLabels(file, project!.labels!, items[i]!, project!.segments);
        written.push(file);
      }
      return { path: folder, written };
    },
  };
}
