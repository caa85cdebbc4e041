import { SliceLoader } from '../viewer/slice-loader.js';
import { api } from './index.js';

/** One cache of fetched slices for the viewer and the support thumbnails alike. */
export const slices = new SliceLoader({
  slice: (r) => api.getSlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
  labels: (r) => api.getLabelSlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
  uncertainty: (r) => api.getUncertaintySlice({ studyId: r.studyId, itemId: r.itemId, axis: r.axis, index: r.index }),
});
