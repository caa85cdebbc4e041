import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { writeBatchReport } from '../infer/batch-report.js';
import type { NetworkSettings } from '../infer/atlas-segmentation.js';
import type { SupportPair } from '../infer/pair-support-files.js';
import type { Shard } from '../infer/shard.js';
import { segmentVolumes } from '../infer/segment-volumes.js';
import type { Model } from '../model/model.js';
import { ProgressBar } from './progress.js';

export interface VolumeBatchOptions {
  pairs: SupportPair[];
  input: string;
  out: string;
  modelFile: string;
  format?: '.nii.gz' | '.seg.nrrd';
  shard?: Shard;
  resume?: boolean;
  report?: string;
  networkWeight?: number;
  network?: NetworkSettings;
  seed: number;
  json?: boolean;
  signal: AbortSignal;
}

/** `universeg segment` for support volumes: the batch of issue #16, its summary and its report. Returns the exit status. */
export async function segmentVolumeBatch(model: Model, options: VolumeBatchOptions, print: (text: string) => void): Promise<number> {
  const started = Date.now();
  const bar = new ProgressBar('segment');
  const modelId = createHash('sha256')
    .update(await fs.readFile(options.modelFile))
    .digest('hex');
  const result = await segmentVolumes(model, {
    ...options,
    modelId,
    onProgress: (stage, done, total) => bar.update(done, total, stage),
  });
  bar.done();
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    written: result.written,
    resumed: result.resumed,
    skipped: result.skipped,
    supportSubjects: result.supportSubjects,
    leaveOneOut: result.weights,
    seconds,
  };
  if (options.report) await writeBatchReport(options.report, result.rows, summary);
  if (options.json) print(JSON.stringify(summary, null, 2));
  else {
    console.error(
      `wrote ${result.written.length} label map(s) to ${options.out} from ${result.supportSubjects} support volume(s) in ${seconds.toFixed(1)} s${result.resumed.length ? `; ${result.resumed.length} already done (--resume)` : ''}`,
    );
    for (const l of result.weights.labels) {
      const pct = (d: number | null) => (d === null ? 'n/a' : (100 * d).toFixed(1));
      console.error(
        `  label ${l.value}: network weight ${l.weight}; leave-one-out Dice ${pct(l.estimatedDice)} (registered atlases alone ${pct(l.priorDice)}, network alone ${pct(l.networkDice)})`,
      );
    }
    if (result.skipped.length) console.error(`skipped ${result.skipped.length}:`);
    for (const s of result.skipped) console.error(`  ${s.path}: ${s.reason}`);
  }
  if (result.written.length === 0 && result.resumed.length === 0) {
    if (result.studyInputs === 0) console.error(`universeg segment: no images found in ${options.input}`);
    return 1;
  }
  return result.skipped.length ? 3 : 0;
}
