/**
 * Batch segmentation of volumes (issue #16) measured on pseudo-subjects of Colin27 (core/eval/pseudo-subject.ts): the first
 * --supports subjects are the labelled support, every other one a query (leave-one-out between support and study,
 * as a user labels a few subjects and segments the rest), on 4 AAL regions at a time. Compared:
 * copying one support map unchanged, registration alone (one support subject; all of them fused), the old
 * `segment` (every support slice pooled, labels merged, --old-support-size drawn per slice) and the new batch.
 * Settings are chosen with --regions from the trained ones (ids not multiples of 5), and reported on held-out ones
 * (multiples of 5) once. From the repository root:
 *   node --import tsx test/tools/measure-batch.ts [--regions 30,45,60,85] [--subjects 4] [--supports 2]
 *        [--old on|off] [--threads 2] [--model FILE] [--json]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LabelVolume } from '../../core/data/volume.js';
import { writeLabelVolume } from '../../core/data/write-label-volume.js';
import { fuseAtlases, networkProbabilities, registerAtlas, weigh, type Atlas } from '../../core/infer/atlas-segmentation.js';
import { atlasWeights } from '../../core/infer/atlas-weights.js';
import { defaultModelPath } from '../../core/infer/default-model.js';
import { segmentImage } from '../../core/infer/segment-image.js';
import { writeFloatVolume } from '../../core/infer/write-float-volume.js';
import { loadSupportPool } from '../../core/infer/support-pool.js';
import { loadModel } from '../../core/model/model.js';
import { colin27Regions } from './colin27-regions.js';
import { pseudoSubject } from '../../core/eval/pseudo-subject.js';

const { values } = parseArgs({
  options: {
    regions: { type: 'string', default: '30,45,60,85' },
    subjects: { type: 'string', default: '4' },
    supports: { type: 'string', default: '2' },
    old: { type: 'string', default: 'on' },
    'old-support-size': { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    model: { type: 'string' },
    data: { type: 'string', default: '../shared/data/train/colin27' },
    json: { type: 'boolean' },
  },
});
const regions = values.regions!.split(',').map(Number);
const heldOut = regions.every((r) => r % 5 === 0);
if (!heldOut && regions.some((r) => r % 5 === 0))
  throw new Error('mix no held-out region (a multiple of 5) into the trained ones settings are chosen on');
const subjects = Number(values.subjects);
const S = Number(values.supports);
const { image, labels } = await colin27Regions(values.data!, regions);
const model = await loadModel(values.model ?? defaultModelPath(), { device: 'cpu', threads: Number(values.threads) });
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'measure-batch-'));

const people = Array.from({ length: subjects }, (_, i) => pseudoSubject(image, labels, i + 1));
const atlases: Atlas[] = people.map((p, i) => ({
  image: p.image,
  labels: p.labels,
  labelledSlices: Array.from({ length: p.labels.size[2] }, (_, k) => k),
  source: `subject-${i + 1}`,
}));

type Scores = Map<string, { dice: number[][]; seconds: number[] }>;
const scores: Scores = new Map();
const record = (method: string, predicted: (value: number) => (n: number) => boolean, truth: LabelVolume, seconds: number) => {
  const entry = scores.get(method) ?? { dice: regions.map(() => []), seconds: [] };
  regions.forEach((r, i) => entry.dice[i]!.push(dice(predicted(r), truth, r)));
  entry.seconds.push(seconds);
  scores.set(method, entry);
};
const cpu = () => process.cpuUsage().user / 1e6;
const load: number[] = [];

const support = atlases.slice(0, S);
let started = performance.now();
// The network's weights come from the support subjects alone, once for the batch, as `segment` computes them.
const weights = await atlasWeights(model, support, regions);
const looSeconds = (performance.now() - started) / 1000;
console.error(
  `leave-one-out over ${S} support subjects: ${looSeconds.toFixed(1)} s; weights ${weights.labels.map((l) => `${l.value}:${l.weight}`).join(' ')}`,
);
for (let q = S; q < subjects; q++) {
  load.push(os.loadavg()[0]!);
  const query = people[q]!;
  record('copy one support map', (r) => (n) => support[0]!.labels.data[n] === r, query.labels, 0);
  started = performance.now();
  const registered: Awaited<ReturnType<typeof registerAtlas>>[] = [];
  for (const a of support) registered.push(await registerAtlas(query.image, a, regions));
  const registration = (performance.now() - started) / 1000;
  record(
    'registration alone, one support subject',
    (r) => (n) => registered[0]!.probabilities.get(r)![n]! > 0.5,
    query.labels,
    registered[0]!.milliseconds / 1000,
  );
  const prior = fuseAtlases(registered, regions);
  record(`registration alone, ${S} support subjects fused`, (r) => (n) => prior.get(r)![n]! > 0.5, query.labels, registration);
  started = performance.now();
  const cpuStarted = cpu();
  const network = await networkProbabilities(model, query.image, registered, prior);
  const networkSeconds = (performance.now() - started) / 1000;
  const combined = new Map(regions.map((r, i) => [r, weigh(network.get(r)!, prior.get(r)!, weights.labels[i]!.weight)]));
  record('new batch (weights by leave-one-out)', (r) => (n) => argmax(combined, n) === r, query.labels, registration + networkSeconds);
  record('network alone on registered support', (r) => (n) => argmax(network, n) === r, query.labels, registration + networkSeconds);
  console.error(
    `query ${q + 1}: registration ${registration.toFixed(1)} s, network ${networkSeconds.toFixed(1)} s, network cpu ${(cpu() - cpuStarted).toFixed(1)} s; load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  if (values.old === 'on' && q === S) {
    // Today's `segment`: every slice of the support volumes pooled, all labels one mask, N drawn per query slice.
    const pairs = [];
    for (const [s, a] of support.entries()) {
      const [img, lab] = [path.join(dir, `s${s}.nii.gz`), path.join(dir, `s${s}-labels.nii.gz`)];
      await writeFloatVolume(img, { ...a.image, source: '' });
      await writeLabelVolume(lab, { ...a.labels, source: '' });
      pairs.push({ name: `s${s}`, image: img, labels: lab });
    }
    const { pool } = await loadSupportPool(pairs, model.config);
    started = performance.now();
    const mask = await segmentImage(model, query.image, [{ ...pool, value: 1 }], { supportSize: Number(values['old-support-size']) });
    record(
      `old segment (N = ${values['old-support-size']}, labels merged)`,
      () => (n) => mask.data[n] === 1,
      query.labels,
      (performance.now() - started) / 1000,
    );
  }
}

const rows = [...scores].map(([method, { dice: d, seconds }]) => ({
  method,
  perRegion: regions.map((r, i) => ({ region: r, dice: mean(d[i]!) })),
  mean: mean(d.map(mean)),
  seconds: mean(seconds),
}));
console.log(
  `${heldOut ? 'held-out' : 'trained'} regions ${regions.join(', ')}; ${subjects - S} query pseudo-subjects, ${S} support subjects; leave-one-out over the support ${looSeconds.toFixed(0)} s once; load average ${mean(load).toFixed(1)} on ${os.cpus().length} cores`,
);
console.log(`| method | ${regions.map((r) => `AAL ${r}`).join(' | ')} | mean | s / volume |`);
console.log(`|---|${regions.map(() => '--:').join('|')}|--:|--:|`);
for (const r of rows)
  console.log(
    `| ${r.method} | ${r.perRegion.map((p) => (100 * p.dice).toFixed(1)).join(' | ')} | ${(100 * r.mean).toFixed(1)} | ${r.seconds.toFixed(1)} |`,
  );
if (values.json) console.log(JSON.stringify(rows));
await fs.rm(dir, { recursive: true, force: true });
await model.release();

function argmax(maps: ReadonlyMap<number, Float32Array>, n: number): number {
  let best = 0;
  let p = 0.5;
  for (const [v, m] of maps) if (m[n]! > p) [best, p] = [v, m[n]!];
  return best;
}

function dice(predicted: (n: number) => boolean, truth: LabelVolume, value: number): number {
  let both = 0;
  let sum = 0;
  for (let n = 0; n < truth.data.length; n++) {
    const [p, t] = [predicted(n), truth.data[n] === value];
    if (p && t) both++;
    if (p) sum++;
    if (t) sum++;
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}

function mean(x: number[]): number {
  return x.reduce((a, b) => a + b, 0) / (x.length || 1);
}
