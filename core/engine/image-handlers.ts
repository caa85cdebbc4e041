import path from 'node:path';
import type { ApiHandlers, ImageWork, SegmentDef } from '../contract/index.js';
import { outputPaths } from '../infer/output-paths.js';
import { ensureFolder } from './ensure-folder.js';
import { ApiError } from '../contract/errors.js';
import { exportLabels } from './export-labels.js';
import type { EngineParts } from './engine-parts.js';
import { propagateSupportSet } from './support-set-propagation.js';
import type { Project } from '../project/project.js';
import { IMAGE, studyImages, supportOf } from './study-images.js';

/**
 * Propagation across the 2D images of a folder study: each image keeps its own project, marking an image's slice as
 * support makes it an example, and one job segments all the others from those examples.
 */
export function imageHandlers(parts: EngineParts): Pick<ApiHandlers, 'studyImages' | 'propagateImages' | 'exportImageMasks'> {
  const { studies, jobs } = parts;

  return {
    async studyImages({ studyId }) {
      return (await studyImages(parts, studyId)).map(({ itemId, project, error }): ImageWork => {
        if (!project) return { itemId, status: 'none', labels: [], uncertainty: null, revision: 0, error };
        const info = project.labelInfo();
        const status = project.statusOf(IMAGE);
        return {
          itemId,
          status,
          labels: info.labels.map((l) => l.value),
          uncertainty: project.spreadOf(IMAGE),
          revision: project.revision,
        };
      });
    },

    async propagateImages({ studyId, labels, ...settings }) {
      const running = jobs.pending('propagate-images', studyId);
      if (running)
        throw new ApiError(
          'bad-request',
          `a propagation across these images is already ${running.state} (${running.jobId}): wait for it or cancel it`,
        );
      const all = await studyImages(parts, studyId);
      if (all.length < 2)
        throw new ApiError('bad-request', 'this study has no other 2D images to propagate to: propagate within the volume instead');
      const opened = all.filter((a): a is typeof a & { project: Project } => a.project !== undefined);
      const supports = supportOf(all);
      if (supports.length === 0)
        throw new ApiError('bad-request', 'no support images yet: paint a few images and mark each as support (M)');
      const targets = opened.filter((a) => ['none', 'predicted'].includes(a.project.statusOf(IMAGE)));
      if (targets.length === 0) throw new ApiError('bad-request', 'every image is support or painted: there is nothing left to predict');

      const onSupport = new Set(supports.flatMap((s) => s.project.labelInfo().labels.map((l) => l.value)));
      const byItem = new Map(targets.map((t) => [t.itemId, t.project]));
      // Each predicted image takes the names and colours its labels have on the first support image showing them.
      const names = new Map<number, SegmentDef>();
      for (const s of supports) for (const def of s.project.segments) if (!names.has(def.value)) names.set(def.value, def);
      return propagateSupportSet(
        parts,
        {
          kind: 'propagate-images',
          unit: 'image',
          studyId,
          // The first support image's settings and model stand for the study (each image keeps its own project).
          supportProjects: supports.map((s) => s.project),
          examples: supports.length,
          onSupport,
          messageSuffix: ` to ${targets.length}`,
          params: ({ values, settings: { supportSize, ensemble, seed }, labelsFiles, model }) => ({
            supports: supports.map((s, n) => ({ item: studies.item(studyId, s.itemId), labelsFile: labelsFiles[n]! })),
            targets: targets.map((t) => ({ itemId: t.itemId, item: studies.item(studyId, t.itemId) })),
            values,
            supportSize,
            ensemble,
            seed,
            model,
          }),
          receive(e, values) {
            const project = byItem.get(e.itemId);
            // An image the user painted while the job ran is theirs: neither its labels nor their names change.
            if (!project || ['support', 'painted'].includes(project.statusOf(IMAGE))) return null;
            project.takeSegmentDefs([...names.values()].filter((def) => values.includes(def.value)));
            return { project, index: IMAGE, prediction: e };
          },
          targets: [...byItem.values()],
          done: ({ predicted, skipped }) =>
            `${predicted} image${predicted === 1 ? '' : 's'} predicted${skipped.length ? `; ${skipped.length} skipped: ${skipped[0]}` : ''}`,
        },
        { labels, settings },
      );
    },

    async exportImageMasks({ studyId, path: userPath }) {
      const folder = await ensureFolder(parts.ctx.paths, userPath);
      const labelled = (await studyImages(parts, studyId)).filter((a) => a.project?.labels && a.project.statusOf(IMAGE) !== 'none');
      if (labelled.length === 0) throw new ApiError('not-found', 'no image of this study is labelled yet: paint or propagate first');
      const items = labelled.map((a) => studies.item(studyId, a.itemId));
      const targets = outputPaths(items, studies.dir(studyId), folder);
      // One label set for the folder, so an image holding one of several labels keeps its value (an indexed PNG).
      const labelSet = [...new Map(labelled.flatMap((a) => a.project!.segments.map((s) => [s.value, s] as const)).reverse()).values()];
      const written: string[] = [];
      for (const [i, { itemId, project }] of labelled.entries()) {
        const wanted = targets.get(itemId)!;
        await ensureFolder(parts.ctx.paths, path.dirname(wanted));
        const file = await parts.ctx.paths.resolveWritable(wanted);
        await exportLabels(file, project!.labels!, items[i]!, project!.segments, labelSet);
        written.push(file);
      }
      return { path: folder, written };
    },
  };
}
