import { readLabelVolume } from '../data/read-label-volume.js';
import { readStudyItem } from '../data/read-study-item.js';
import { imageSupportTasks, segmentWithTasks } from '../infer/image-support.js';
import { loadModel } from '../model/model.js';
import type { JobContext } from './job-protocol.js';
import { encodePrediction } from './encoded-prediction.js';
import type { PredictedImageEvent, PropagateImagesJobParams } from './propagate-images-job-spec.js';

/**
 * Propagation across the 2D images of a study: every target image segmented from the support images, one
 * binary task per label, each image sent to the host as soon as it is done. An image that cannot be read is
 * reported and skipped; the others go on.
 */
export async function propagateImagesJob(params: PropagateImagesJobParams, ctx: JobContext<PredictedImageEvent>) {
  const model = await loadModel(params.model, { device: 'cpu' });
  try {
    const supports = await Promise.all(
      params.supports.map(async ({ item, labelsFile }) => ({
        name: item.name,
        image: await readStudyItem(item),
        labels: await readLabelVolume(labelsFile),
      })),
    );
    const tasks = imageSupportTasks(supports, model.config, params.values);
    const skipped: string[] = [];
    let networkRuns = 0;
    ctx.progress(0, params.targets.length, `0 / ${params.targets.length} images`);
    for (const [i, { itemId, item }] of params.targets.entries()) {
      ctx.signal.throwIfAborted();
      let image;
      try {
        image = await readStudyItem(item);
      } catch (err) {
        skipped.push(`${item.name}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const result = await segmentWithTasks(model, image, tasks, { ...params, seed: params.seed + i, signal: ctx.signal });
      networkRuns += result.networkRuns;
      ctx.event({ type: 'image', itemId, ...encodePrediction(result.labels, result.spread) });
      ctx.progress(i + 1, params.targets.length, `${i + 1} / ${params.targets.length} images`);
    }
    return { predicted: params.targets.length - skipped.length, networkRuns, skipped };
  } finally {
    await model.release();
  }
}
