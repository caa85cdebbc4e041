import { extractSlice, type Slice } from '../data/extract-slice.js';
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

/** One label value's binary task: the examples that show it, labelled 1 where they hold it. */
export interface SupportTask extends SupportPool {
  /** The value its predicted pixels get in the output. */
  value: number;
}

/**
 * Reads support pairs into one pool. A 2D pair is one example; a labelled volume gives one per slice along its
 * last axis. A pair that cannot be read, whose label map is not on its image's grid or holds no label at all, is a
 * problem. `tasks` holds one task per label value (as propagation and the volume batch segment them): with a
 * single value that is the pool itself, so a single-label support is segmented exactly as before.
 */
export async function loadSupportPool(
  pairs: readonly SupportPair[],
  config: ModelConfig,
): Promise<{ pool: SupportPool; tasks: SupportTask[]; problems: StudyProblem[] }> {
  const images: Float32Array[] = [];
  const labels: Float32Array[] = [];
  const sources: string[] = [];
  const slices: Slice<Uint8Array>[] = [];
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
        slices.push(extractSlice(label, 2, k));
        labels.push(maskInput(slices.at(-1)!, config));
        sources.push(pair.name);
      }
    } catch (err) {
      problems.push({
        path: pair.image,
        reason: `support pair ${pair.name} left out: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  const pool = { images: stack(images), labels: stack(labels), count: images.length, sources };
  const values = [...new Set(slices.flatMap((s) => [...new Set(s.data)]))].filter((v) => v !== 0).sort((a, b) => a - b);
  // A single-label support is a mask (2D masks are mostly 0/255 PNGs): its output stays a 0/1 mask, as before.
  if (values.length === 1) return { pool, tasks: [{ ...pool, value: 1 }], problems };
  const tasks = values.map((value) => {
    const shown = slices.flatMap((s, i) => (s.data.includes(value) ? [i] : []));
    return {
      value,
      images: stack(shown.map((i) => images[i]!)),
      labels: stack(shown.map((i) => maskInput(slices[i]!, config, value))),
      count: shown.length,
      sources: shown.map((i) => sources[i]!),
    };
  });
  return { pool, tasks, problems };
}
