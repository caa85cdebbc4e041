import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiHandlers, BatchVolume } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import type { StudyItem } from '../data/scan-study.js';
import { DEFAULT_REGISTRATION } from '../infer/volume-registration.js';
import { BATCH_REPORT_FILE, BatchReportFileSchema } from '../jobs/segment-volumes-job-spec.js';
import { PROJECT_FILE, projectFolder } from '../project/project-files.js';
import type { Project } from '../project/project.js';
import type { EngineParts } from './engine-parts.js';
import { ensureFolder } from './ensure-folder.js';
import { modelInfo } from './model-info.js';
import { SEGMENTATIONS_FOLDER_SUFFIX } from './paths.js';
import { submitted } from './project-store.js';

/**
 * "Segment the rest" of a study of volumes (issue #16): the volumes with labels in their projects are the support,
 * every other volume is segmented from them by one job, into `<study>-segmentations/` beside the study (as Export
 * all writes 2D masks to `<study>-masks/`), with a report read back by batchReport.
 */
export function batchHandlers(parts: EngineParts): Pick<ApiHandlers, 'segmentRest' | 'batchReport'> {
  const { ctx, studies, projects, jobs } = parts;
  const outputFolder = (studyId: string) => `${studies.dir(studyId)}${SEGMENTATIONS_FOLDER_SUFFIX}`;
  // The job names a volume as segmentVolumes does: a DICOM series by its folder, a file by its path.
  const inputOf = (item: StudyItem) => (item.kind === 'dicom-series' ? path.dirname(item.paths[0]!) : item.paths[0]!);

  /** A study volume's project when it holds labels; projects are opened only where a saved one exists. */
  async function labelledProject(studyId: string, item: StudyItem): Promise<Project | null> {
    const saved = await stat(path.join(projectFolder(studies.dir(studyId), item.id), PROJECT_FILE)).catch(() => null);
    if (!saved) return null;
    const project = await parts.projectFor(studyId, item.id);
    return project.labelInfo().labels.length > 0 ? project : null;
  }

  return {
    async segmentRest({ studyId, registration, networkWeight }) {
      const running = jobs.pending('segment-volumes', studyId);
      if (running)
        throw new ApiError(
          'bad-request',
          `a batch segmentation of this study is already ${running.state} (${running.jobId}): wait for it or cancel it`,
        );
      const volumes = studies.items(studyId).filter((i) => i.kind !== 'image2d');
      if (volumes.length < 2)
        throw new ApiError('bad-request', 'this study has no other volumes to segment: propagate within the volume instead');
      // A volume labelled a moment ago counts: its first save may still be pending.
      await projects.flushAll();
      const supports: { item: StudyItem; project: Project }[] = [];
      const targets: StudyItem[] = [];
      for (const item of volumes) {
        const project = await labelledProject(studyId, item);
        if (!project) targets.push(item);
        else if (item.kind === 'volume') supports.push({ item, project });
        else
          throw new ApiError(
            'bad-request',
            `${item.name} is a labelled DICOM series: only labelled volume files can be support for now; export its labels and open them as a volume`,
          );
      }
      if (supports.length === 0)
        throw new ApiError('bad-request', 'no labelled volume yet: label one or more volumes of the study (all or a few slices) first');
      if (targets.length === 0)
        throw new ApiError('bad-request', 'every volume of the study is labelled: there is nothing left to segment');

      const out = await ensureFolder(ctx.paths, outputFolder(studyId));
      // The job reads the support labels from disk: they must be there, as they are now.
      for (const { project } of supports) await projects.flush(project);
      const unsaved = supports.find((s) => s.project.saveError);
      if (unsaved) throw new ApiError('internal', unsaved.project.saveError!);
      const pins = supports.map((s) => projects.pinLabels(s.project));
      const pinned = { release: () => pins.forEach((pin) => pin.release()) };
      const within = await ctx.paths.areaOf(studies.dir(studyId));
      const itemOf = new Map(targets.map((t) => [inputOf(t), t.id]));
      let jobId = '';
      const job = submitted(pinned, () =>
        jobs.submit({
          kind: 'segment-volumes',
          studyId,
          message: `Segmenting ${targets.length} volume${targets.length === 1 ? '' : 's'} from ${supports.length} labelled one${supports.length === 1 ? '' : 's'}`,
          params: {
            study: studies.dir(studyId),
            ...(within ? { within } : {}),
            supports: supports.map((s, n) => ({
              itemId: s.item.id,
              image: s.item.paths[0]!,
              labelsFile: pins[n]!.file,
              segments: s.project.segments,
            })),
            out,
            registration: { ...DEFAULT_REGISTRATION, ...registration },
            ...(networkWeight === undefined ? {} : { networkWeight }),
            seed: supports[0]!.project.propagation.seed,
            model: modelInfo(supports[0]!.project, parts.modelPath).path,
          },
          onEvent({ input, state, progress, note }) {
            const itemId = itemOf.get(input);
            if (itemId) ctx.events.emit({ type: 'batch', jobId, studyId, volume: { itemId, state, progress, ...(note ? { note } : {}) } });
          },
          onFinish(outcome) {
            pinned.release();
            if (outcome.status !== 'done') return;
            const { written, resumed, skipped } = outcome.value;
            return `${written} written, ${resumed} already done, ${skipped} skipped`;
          },
        }),
      );
      jobId = job.jobId;
      const waiting = targets.map((t): BatchVolume => ({ itemId: t.id, state: 'waiting', progress: 0 }));
      return { job, volumes: waiting };
    },

    async batchReport({ studyId }) {
      const folder = outputFolder(studyId);
      const file = path.join(folder, BATCH_REPORT_FILE);
      // A study the UI may not write beside (the served folder itself) has no batch, so no report either.
      if (!(await ctx.paths.permits(file))) return null;
      const real = await ctx.paths.resolveExisting(file).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'not-found') return null;
        throw err;
      });
      if (!real) return null;
      let parsed;
      try {
        parsed = BatchReportFileSchema.safeParse(JSON.parse(await readFile(real, 'utf8')));
      } catch (err) {
        throw new ApiError('internal', `${file}: not a batch report (${err instanceof Error ? err.message : String(err)})`);
      }
      if (!parsed.success)
        throw new ApiError('internal', `${file}: not a batch report (${parsed.error.issues[0]?.message ?? 'unexpected content'})`);
      const itemOf = new Map(studies.items(studyId).map((i) => [inputOf(i), i.id]));
      return { folder, ...parsed.data, rows: parsed.data.rows.map((r) => ({ ...r, itemId: itemOf.get(r.volume) ?? null })) };
    },
  };
}
