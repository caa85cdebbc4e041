import { VOXEL_ARRAYS, type ApiHandlers, type VoxelType } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import { extractSlice } from '../data/extract-slice.js';
import type { EngineParts } from './engine-parts.js';
import { voxelType } from './voxel-type.js';

/** About this much image per reply: a 512 x 512 int16 volume in 16-slice steps, each quick to send and decode. */
const SLAB_BYTES = 8 << 20;

/**
 * What a viewer holding a volume whole needs (issue #17): the image once, in slabs, and the label map's changes
 * since the revision of its copy.
 */
export function volumeHandlers(parts: EngineParts): Pick<ApiHandlers, 'getImageSlab' | 'getLabelChanges'> {
  const { studies } = parts;
  // Chosen once per decoded volume: it reads every voxel.
  const types = new WeakMap<Float32Array, VoxelType>();

  return {
    async getImageSlab({ studyId, itemId, from }) {
      const { volume, intensity } = await studies.load(studyId, itemId);
      const [width, height, depth] = volume.size;
      if (from >= depth)
        throw new ApiError(
          'bad-request',
          `slice ${from} does not exist: axis 2 has ${depth} slice${depth === 1 ? '' : 's'} (0..${depth - 1})`,
        );
      let type = types.get(volume.data);
      if (!type) types.set(volume.data, (type = voxelType(volume.data, intensity.min, intensity.max)));
      const plane = width * height;
      const count = Math.max(1, Math.min(depth - from, Math.floor(SLAB_BYTES / (plane * VOXEL_ARRAYS[type].BYTES_PER_ELEMENT))));
      const source = volume.data.subarray(from * plane, (from + count) * plane);
      // A copy even in float32: over IPC a view would carry the whole volume's buffer.
      const data = type === 'float32' ? source.slice() : new VOXEL_ARRAYS[type](source);
      return { type, from, count, data };
    },

    async getLabelChanges({ studyId, itemId, since }) {
      const project = await parts.projectFor(studyId, itemId);
      const { revision, labels } = project;
      if (!labels) return { revision, changes: { kind: 'none' } };
      const changed = since === undefined ? null : project.labelChangesSince(since);
      const changedBytes = (changed ?? []).reduce((n, s) => n + labels.data.length / labels.size[s.axis], 0);
      // Past half the map, the map itself is the smaller answer (and one copy instead of many cuts).
      if (!changed || 2 * changedBytes > labels.data.length) return { revision, changes: { kind: 'whole', data: labels.data.slice() } };
      return {
        revision,
        changes: { kind: 'slices', slices: changed.map(({ axis, index }) => ({ axis, index, ...extractSlice(labels, axis, index) })) },
      };
    },
  };
}
