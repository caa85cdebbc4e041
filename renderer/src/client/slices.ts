import { SliceLoader } from '../viewer/slice-loader.js';
import { SliceSource } from '../viewer/slice-source.js';
import { api } from './index.js';

/**
 * One source of slices for the viewer and the support thumbnails alike: the held volume's (stores/volume.ts), else
 * one cache of fetched slices.
 */
export const slices = new SliceSource(
  new SliceLoader({
    slice: (r) => api.getSlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
    labels: (r) => api.getLabelSlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
    uncertainty: (r) => api.getUncertaintySlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
  }),
);
