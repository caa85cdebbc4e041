/** Prediction over studies: support pools, batch segmentation of a study folder, propagation over slices. */
export { propagateVolume, DEFAULT_PROPAGATION_SUPPORT, type PropagateOptions, type PropagateResult } from './propagate-volume.js';
export { segmentStudy, type SegmentStudyOptions, type SegmentStudyResult } from './segment-study.js';
export { segmentImage, type SegmentImageOptions } from './segment-image.js';
export { loadSupportPool, type SupportPool } from './support-pool.js';
export { pairSupportFiles, type SupportPair } from './pair-support-files.js';
export { nearestSlices } from './nearest-slices.js';
export { slicesWithLabels, checkSliceList } from './labelled-slices.js';
export { parseShard, takeShard, type Shard } from './shard.js';
export { outputPaths } from './output-paths.js';
export { writeFloatVolume } from './write-float-volume.js';
export { readSourceVolume } from './read-source-volume.js';
export { defaultModelPath } from './default-model.js';
