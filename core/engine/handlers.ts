import { API_VERSION, type ApiHandlers, type Study } from '../contract/index.js';
import { extractSlice } from '../data/extract-slice.js';
import { readLabelMap } from '../data/read-label-map.js';
import type { Axis } from '../data/volume.js';
import { sweepTempFolders } from '../util/temp-files.js';
import { defaultModelPath } from '../infer/default-model.js';
import { analysisHandlers } from './analysis-handlers.js';
import { axisHandlers } from './axis-handlers.js';
import { batchHandlers } from './batch-handlers.js';
import type { Engine, EngineContext, EngineParts } from './engine-parts.js';
import { listDirectory } from './directory.js';
import { ApiError } from '../contract/errors.js';
import { imageHandlers } from './image-handlers.js';
import { JobQueue } from './job-queue.js';
import { modelInfo } from './model-info.js';
import { projectHandlers } from './project-handlers.js';
import type { Project } from '../project/project.js';
import { projectFolder } from '../project/project-files.js';
import { ProjectStore } from './project-store.js';
import { StudyRegistry } from './studies.js';
import { trainHandlers } from './train-handlers.js';
import { surfaceHandlers } from './surface-handlers.js';
import { volumeHandlers } from './volume-handlers.js';

const ANNOUNCE_INTERVAL_MS = 150;

/** The engine behind the contract: each method as a plain async function, whatever transport calls it. */
export function createEngine(ctx: EngineContext): Engine {
  const studies = new StudyRegistry(ctx.volumeBudgetBytes);
  const jobs = ctx.jobs ?? new JobQueue(ctx.events);
  const modelPath = ctx.modelPath ?? defaultModelPath();
  // Temporary folders (uploads, encodes) of engines that died are swept; those of live processes are kept.
  const swept = sweepTempFolders().catch(() => []);
  // Which study and item a project was last reached through: events name it that way.
  const refs = new Map<Project, { studyId: string; itemId: string }>();
  const pendingAnnouncements = new Map<Project, NodeJS.Timeout>();
  const projects = new ProjectStore(ctx.paths, (project) => parts.announce(project));

  const parts: EngineParts = {
    ctx,
    studies,
    projects,
    jobs,
    modelPath,
    async projectFor(studyId, itemId) {
      const item = studies.item(studyId, itemId);
      const { volume } = await studies.load(studyId, itemId);
      const { data: _grey, modality: _modality, ...grid } = volume;
      const project = await projects.get({ folder: projectFolder(studies.dir(studyId), itemId), itemId, grid, protect: item.paths });
      refs.set(project, { studyId, itemId });
      return project;
    },
    announce(project, now = false) {
      const send = () => {
        pendingAnnouncements.delete(project);
        const ref = refs.get(project);
        if (ref) ctx.events.emit({ type: 'project', project: project.info(ref.studyId, ref.itemId, modelInfo(project, modelPath)) });
      };
      const pending = pendingAnnouncements.get(project);
      if (now) {
        if (pending) clearTimeout(pending);
        send();
      } else if (!pending) {
        pendingAnnouncements.set(project, setTimeout(send, ANNOUNCE_INTERVAL_MS));
      }
    },
  };

  async function openUpload(stored: string): Promise<Study> {
    // Its own folder, not the root: an uploaded header's data file must be one of the files uploaded with it.
    const folder = await ctx.uploads.folderOf(stored);
    ctx.paths.allow(folder);
    // A temporary copy is no "recent study": it disappears with the server.
    return studies.open(stored, folder);
  }

  async function openAndRemember(target: string): Promise<Study> {
    const study = await studies.open(target, await ctx.paths.areaOf(target));
    await ctx.recent.remember({ path: study.path, name: study.name, itemCount: study.items.length, openedAt: new Date().toISOString() });
    return study;
  }

  async function slicePlane(studyId: string, itemId: string, axis: Axis, index: number) {
    const { volume } = await studies.load(studyId, itemId);
    const count = volume.size[axis];
    if (index >= count) {
      throw new ApiError(
        'bad-request',
        `slice ${index} does not exist: axis ${axis} has ${count} slice${count === 1 ? '' : 's'} (0..${count - 1})`,
      );
    }
    return volume;
  }

  const handlers: ApiHandlers = {
    async health() {
      return { ok: true, version: ctx.version, apiVersion: API_VERSION, root: ctx.paths.root };
    },

    listDirectory: ({ path }) => listDirectory(ctx.paths, path),

    async openStudy({ path }) {
      return openAndRemember(await ctx.paths.resolveExisting(path));
    },

    async uploadStudy({ name, files }) {
      return openUpload(await ctx.uploads.store(name, files));
    },

    async recentStudies() {
      // The list is shared by every engine of this user: another root's studies are not this one's to show.
      const recent = await ctx.recent.list();
      const permitted = await Promise.all(recent.map((r) => ctx.paths.permits(r.path)));
      return recent.filter((_r, n) => permitted[n]);
    },

    async getVolumeInfo({ studyId, itemId }) {
      const { volume, intensity } = await studies.load(studyId, itemId);
      const project = await parts.projectFor(studyId, itemId);
      return {
        studyId,
        itemId,
        size: volume.size,
        spacing: volume.spacing,
        origin: volume.origin,
        direction: volume.direction,
        dimension: volume.dimension,
        ...(volume.modality ? { modality: volume.modality } : {}),
        intensity,
        labels: project.labels ? project.labelInfo() : null,
      };
    },

    async getSlice({ studyId, itemId, axis, index }) {
      const volume = await slicePlane(studyId, itemId, axis, index);
      return extractSlice(volume, axis, index);
    },

    async loadLabels({ studyId, itemId, path }) {
      const file = await ctx.paths.resolveExisting(path);
      const project = await parts.projectFor(studyId, itemId);
      // A label file's header may name a data file too: it must lie where the label file does.
      const within = (await ctx.paths.areaOf(file)) ?? undefined;
      const { labels, segments } = await readLabelMap(file, project.grid, { within });
      project.attach(labels, file);
      // A DICOM SEG or Slicer segmentation names its segments: their names, colours and coded anatomy come with it.
      if (segments) project.takeSegmentDefs(segments.map((s) => ({ ...s, visible: true, locked: false })));
      projects.changed(project);
      return project.labelInfo();
    },

    async getLabelSlice({ studyId, itemId, axis, index }) {
      await slicePlane(studyId, itemId, axis, index);
      const project = await parts.projectFor(studyId, itemId);
      return project.labels ? extractSlice(project.labels, axis, index) : null;
    },

    ...projectHandlers(parts),
    ...imageHandlers(parts),
    ...trainHandlers(parts),
    ...analysisHandlers(parts),
    ...axisHandlers(parts),
    ...surfaceHandlers(parts),
    ...volumeHandlers(parts),
    ...batchHandlers(parts),
  };

  return {
    handlers,
    openUpload,
    flush: () => projects.flushAll(),
    async close() {
      await swept;
      await jobs.close();
      await projects.flushAll();
      for (const timer of pendingAnnouncements.values()) clearTimeout(timer);
    },
  };
}
