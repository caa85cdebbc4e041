import { API_VERSION, type ApiHandlers, type Study } from '../api.js';
import { extractSlice } from '../data/extract-slice.js';
import { readLabelVolume } from '../data/read-label-volume.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import type { Axis } from '../data/volume.js';
import { listDirectory } from './directory.js';
import { ApiError } from './errors.js';
import { LabelMaps } from './labels.js';
import type { PathPolicy } from './paths.js';
import type { RecentStudies } from './recent.js';
import { StudyRegistry } from './studies.js';
import type { UploadArea } from './upload.js';

export interface EngineContext {
  paths: PathPolicy;
  recent: RecentStudies;
  uploads: UploadArea;
  version: string;
  /** Memory for decoded images kept between calls (default 2 GiB). */
  volumeBudgetBytes?: number;
}

/** The engine behind the contract: each method as a plain async function, whatever transport calls it. */
export function createApiHandlers(ctx: EngineContext): ApiHandlers {
  const studies = new StudyRegistry(ctx.volumeBudgetBytes);
  const labels = new LabelMaps();

  async function openAndRemember(target: string): Promise<Study> {
    const study = await studies.open(target);
    await ctx.recent.remember({ path: study.path, name: study.name, itemCount: study.items.length, openedAt: new Date().toISOString() });
    return study;
  }

  async function slicePlane(studyId: string, itemId: string, axis: Axis, index: number) {
    const { volume } = await studies.load(studyId, itemId);
    const count = volume.size[axis];
    if (index >= count) {
      throw new ApiError('bad-request', `slice ${index} does not exist: axis ${axis} has ${count} slice${count === 1 ? '' : 's'} (0..${count - 1})`);
    }
    return volume;
  }

  return {
    async health() {
      return { ok: true, version: ctx.version, apiVersion: API_VERSION, root: ctx.paths.root };
    },

    listDirectory: ({ path }) => listDirectory(ctx.paths, path),

    async openStudy({ path }) {
      return openAndRemember(await ctx.paths.resolveExisting(path));
    },

    async uploadStudy({ name, files }) {
      const stored = await ctx.uploads.store(name, files);
      ctx.paths.allow(stored);
      // A temporary copy is no "recent study": it disappears with the server.
      return studies.open(stored);
    },

    async recentStudies() {
      return ctx.recent.list();
    },

    async getVolumeInfo({ studyId, itemId }) {
      const { volume, intensity } = await studies.load(studyId, itemId);
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
        labels: labels.info(studyId, itemId),
      };
    },

    async getSlice({ studyId, itemId, axis, index }) {
      const volume = await slicePlane(studyId, itemId, axis, index);
      return extractSlice(volume, axis, index);
    },

    async loadLabels({ studyId, itemId, path }) {
      const file = await ctx.paths.resolveExisting(path);
      const { volume } = await studies.load(studyId, itemId);
      return labels.attach(studyId, itemId, volume, await readLabelVolume(file), file);
    },

    async getLabelSlice({ studyId, itemId, axis, index }) {
      await slicePlane(studyId, itemId, axis, index);
      const map = labels.get(studyId, itemId);
      return map ? extractSlice(map, axis, index) : null;
    },

    async setLabelSlice({ studyId, itemId, axis, index, slice }) {
      const volume = await slicePlane(studyId, itemId, axis, index);
      return labels.replaceSlice(studyId, itemId, volume, axis, index, slice);
    },

    async saveLabels({ studyId, itemId, path }) {
      const map = labels.get(studyId, itemId);
      if (!map) throw new ApiError('not-found', 'this item has no label map to save: load or paint one first');
      const file = await ctx.paths.resolveWritable(path);
      // Never over the image itself (a DICOM series has many files).
      await writeLabelVolume(file, map, { protect: studies.item(studyId, itemId).paths });
      return labels.savedAs(studyId, itemId, file);
    },
  };
}
