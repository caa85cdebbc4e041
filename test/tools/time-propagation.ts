/**
 * How long propagation of a whole volume takes, step by step: Colin27 (181 axial slices) with four AAL regions
 * that were trained on as four labels, painted on 10 slices spread from the first to the last slice where any of
 * them shows, every other slice predicted with the defaults. From the repository root, on a quiet machine:
 *   node --import tsx test/tools/time-propagation.ts [--model FILE] [--threads 2] [--data ../shared/data/train/colin27]
 *     [--registration-workers N] (0: registration on the main thread, as before registration-pool.ts)
 *     [--regions 29,33,43,57] (one label per comma; `1+2` makes a left and a right region one bilateral label, as
 *      the propagation issue's deep grey structures are: e.g. 1+2,7+8,11+12,13+14)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extractSlice } from '../../core/data/extract-slice.js';
import { insertSlice } from '../../core/data/insert-slice.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { defaultModelPath } from '../../core/infer/default-model.js';
import { propagateVolume } from '../../core/infer/propagate-volume.js';
import { loadModel } from '../../core/model/model.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    threads: { type: 'string', default: '2' },
    data: { type: 'string', default: '../shared/data/train/colin27' },
    'registration-workers': { type: 'string' },
    regions: { type: 'string', default: '29,33,43,57' },
  },
});
const labels = values.regions!.split(',').map((label) => label.split('+').map(Number));
const valueOf = new Map(labels.flatMap((ids, i) => ids.map((id) => [id, i + 1] as const)));
const model = await loadModel(values.model ?? defaultModelPath(), { device: 'cpu', threads: Number(values.threads) });
const image = await readVolume(path.resolve(values.data!, 'ch2.nii.gz'));
const aal = await readLabelVolume(path.resolve(values.data!, 'aal_cortical.nii.gz'));
const truth = { ...aal, data: aal.data.map((v) => valueOf.get(v) ?? 0) };
const showing = Array.from({ length: truth.size[2] }, (_, s) => s).filter((s) => extractSlice(truth, 2, s).data.some((v) => v));
const [first, last] = [showing[0]!, showing.at(-1)!];
const labelled = Array.from({ length: 10 }, (_, i) => Math.round(first + ((last - first) * i) / 9));
const partial = { ...truth, data: new Uint8Array(truth.data.length) };
for (const s of labelled) insertSlice(partial, 2, s, extractSlice(truth, 2, s));

// The first call at a support size builds its sessions: not part of the steady cost.
const S = model.config.inputSize;
for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
  await model.predict({
    queries: new Float32Array(S * S),
    count: 1,
    poolImages: new Float32Array(n * S * S),
    poolLabels: new Float32Array(n * S * S),
    poolSize: n,
    height: S,
    width: S,
  });
}
const started = performance.now();
const registrationWorkers = values['registration-workers'] === undefined ? undefined : Number(values['registration-workers']);
const result = await propagateVolume(model, image, partial, { labelledSlices: labelled, registrationWorkers });
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      slices: truth.size[2],
      labels: values.regions,
      labelled,
      predicted: result.predictedSlices.length,
      networkRuns: result.networkRuns,
      threads: Number(values.threads),
      registrationWorkers: registrationWorkers ?? 'default',
      seconds,
      steps: Object.fromEntries(Object.entries(result.timings).map(([k, ms]) => [k, +(ms / 1000).toFixed(2)])),
      extents: result.perLabel.map((l) => ({ value: l.value, extent: l.extent, estimatedDice: l.estimatedDice })),
    },
    null,
    1,
  ),
);
await model.release();
