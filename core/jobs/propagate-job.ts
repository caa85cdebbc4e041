import type { PropagationReport } from '../contract/index.js';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readStudyItem } from '../data/read-study-item.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { propagateVolume } from '../infer/propagate-volume.js';
import { loadModel } from '../model/model.js';
import type { JobContext } from './job-protocol.js';
import { encodePrediction } from './encoded-prediction.js';
import type { PredictedSliceEvent, PropagateJobParams } from './propagate-job-spec.js';

/** Propagation in a job process: the same propagateVolume as `universeg propagate`, slice by slice to the host. */
export async function propagateJob(params: PropagateJobParams, ctx: JobContext<PredictedSliceEvent>) {
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
        ctx.event({ type: 'slice', index, signature, ...encodePrediction(labels, uncertainty) }),
    });
    await writeLabelVolume(params.predictionFile, result.labels, { protect: params.item.paths });
    const report: PropagationReport = {
      labels: result.perLabel.map(({ value, examples, extent, extentFrom, estimatedDice, leaveOneOut }) => ({
        value,
        examples: examples.length,
        extent,
        extentFrom,
        estimatedDice,
        leaveOneOut: leaveOneOut?.asRun ?? null,
      })),
      suggestedSlice: result.suggestedSlice,
    };
    return {
      predicted: result.predictedSlices.length - result.unchanged.length,
      unchanged: result.unchanged.length,
      networkRuns: result.networkRuns,
      labelValues: result.labelValues,
      report,
    };
  } finally {
    await model.release();
  }
}
