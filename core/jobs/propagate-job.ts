import type { PropagationReport } from '../contract/index.js';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readStudyItem } from '../data/read-study-item.js';
import type { StudyItem } from '../data/scan-study.js';
import type { Axis } from '../data/volume.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { propagateVolume } from '../infer/propagate-volume.js';
import { loadModel } from '../model/model.js';
import type { JobContext } from './job-protocol.js';
import { encodePrediction, type EncodedPrediction } from './encoded-prediction.js';

export interface PropagateJobParams {
  item: StudyItem;
  /** The project's label map as saved just before the job started. */
  labelsFile: string;
  axis: Axis;
  support: number[];
  /** Slices the user painted but did not make support: left as they are. */
  painted: number[];
  /** Label values to predict (the others are left out of the support slices). */
  values: number[];
  supportSize: number;
  ensemble: number;
  seed: number;
  networkWeight: number;
  /** Per label value, the slices it may be predicted on, as the user set them. */
  extents: { value: number; from: number; to: number }[];
  model: string;
  /** Where the whole result goes, atomically, once every slice is done. */
  predictionFile: string;
  /** What each predicted slice was last predicted from: unchanged ones are kept, not predicted again. */
  previous: [number, string][];
  /** Only these slices (first, last) are predicted; default all. */
  range?: [number, number];
}

/** One finished slice, sent to the host as it comes, with what it was predicted from. */
export interface PredictedSliceEvent extends EncodedPrediction {
  type: 'slice';
  index: number;
  signature: string;
}

/** Propagation in a job process: the same propagateVolume as `universeg propagate`, slice by slice to the host. */
export async function propagateJob(params: PropagateJobParams, ctx: JobContext) {
  const [volume, partial, model] = await Promise.all([
    readStudyItem(params.item),
    readLabelVolume(params.labelsFile),
    loadModel(params.model, { device: 'cpu' }),
  ]);
  try {
    const keep = new Set(params.values);
    const support = { ...partial, data: partial.data.map((v) => (keep.has(v) ? v : 0)) };
    const result = await propagateVolume(model, volume, support, {
      axis: params.axis,
      labelledSlices: params.support,
      fixedSlices: params.painted,
      range: params.range,
      supportSize: params.supportSize,
      ensemble: params.ensemble,
      networkWeight: params.networkWeight,
      extents: new Map(params.extents.map((e) => [e.value, [e.from, e.to] as const])),
      seed: params.seed,
      previous: new Map(params.previous),
      signatureSalt: params.model,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(done, total, `${done} / ${total} slice predictions`),
      onSlice: (index, labels, uncertainty, signature) =>
        ctx.event({ type: 'slice', index, signature, ...encodePrediction(labels, uncertainty) } satisfies PredictedSliceEvent),
    });
    await writeLabelVolume(params.predictionFile, result.labels, { protect: params.item.paths });
    const report: PropagationReport = {
      labels: result.perLabel.map(({ value, examples, extent, extentFrom, estimatedDice, leaveOneOut }) => ({ value, examples: examples.length, extent, extentFrom, estimatedDice, leaveOneOut: leaveOneOut?.asRun ?? null })),
      suggestedSlice: result.suggestedSlice,
    };
    return { predicted: result.predictedSlices.length - result.unchanged.length, unchanged: result.unchanged.length, networkRuns: result.networkRuns, labelValues: result.labelValues, report };
  } finally {
    await model.release();
  }
}
