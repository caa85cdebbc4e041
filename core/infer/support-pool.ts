import { extractSlice } from '../data/extract-slice.js';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import type { StudyProblem } from '../data/scan-study.js';
import type { ModelConfig } from '../model/config.js';
import { imageInput, maskInput, stack } from './model-input.js';
import type { SupportPair } from './pair-support-files.js';

/** Labelled examples prepared for the model, (count, 1, S, S) each; any non-zero label is foreground. */
export interface SupportPool {
  images: Float32Array;
  labels: Float32Array;
  count: number;
  /** The pair each example came from. */
  sources: string[];
}

/**
 * Reads support pairs into one pool. A 2D pair is one example; a labelled volume gives one per slice along its
 * last axis. A pair that cannot be read, whose label map is not on its image's grid or holds no label at all, is a
 * problem.
 */
export async function loadSupportPool(pairs: readonly SupportPair[], config: ModelConfig): Promise<{ pool: SupportPool; problems: StudyProblem[] }> {
  const images: Float32Array[] = [];
  const labels: Float32Array[] = [];
  const sources: string[] = [];
  const problems: StudyProblem[] = [];
  for (const pair of pairs) {
    try {
      const [image, label] = await Promise.all([readVolume(pair.image), readLabelVolume(pair.labels)]);
      if (image.size.join() !== label.size.join()) {
        throw new Error(`${pair.labels}: label map is ${label.size.join('x')} but its image ${pair.image} is ${image.size.join('x')}`);
      }
      // An empty example only pulls every prediction towards nothing: a user who left it blank meant no support.
      if (!label.data.some((v) => v !== 0)) throw new Error(`${pair.labels}: the label map is empty (no label painted)`);
      for (let k = 0; k < image.size[2]; k++) {
        images.push(imageInput(extractSlice(image, 2, k), config));
        labels.push(maskInput(extractSlice(label, 2, k), config));
        sources.push(pair.name);
      }
    } catch (err) {
      problems.push({ path: pair.image, reason: `support pair ${pair.name} left out: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return { pool: { images: stack(images), labels: stack(labels), count: images.length, sources }, problems };
}
