/**
 * Propagation against its baselines on Colin27's held-out AAL regions (ids that are multiples of 5, never
 * trained on), and propagation speed. From the repository root:
 *   node --import tsx test/tools/measure-propagation.ts --model FILE [--every 10] [--support 8] [--threads 1]
 *        [--regions 5,10,...] [--data ../shared/data/train/colin27] [--throughput-only] [--no-roi]
 * Each region is its own binary task, labelled on every `every`-th axial slice (empty ones included, as a user
 * would mark where a structure is absent); Dice counts only the slices that were not labelled.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extractSlice } from '../../core/data/extract-slice.js';
import { insertSlice } from '../../core/data/insert-slice.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import type { LabelVolume } from '../../core/data/volume.js';
import { contourInterpolation, nearestSliceCopy } from '../../core/eval/baselines.js';
import { dice } from '../../core/eval/dice.js';
import { propagateVolume } from '../../core/infer/propagate-volume.js';
import { loadModel } from '../../core/model/model.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    every: { type: 'string', default: '10' },
    support: { type: 'string', default: '8' },
    threads: { type: 'string', default: '1' },
    regions: { type: 'string', default: '5,10,15,20,25,30,35,45,50,55,60,65,70,80,85,90' },
    data: { type: 'string', default: '../shared/data/train/colin27' },
    'throughput-only': { type: 'boolean' },
    'no-roi': { type: 'boolean' },
  },
});
if (!values.model) throw new Error('--model FILE is required');
const every = Number(values.every);
const supportSize = Number(values.support);
const regions = values.regions!.split(',').map(Number);
if (regions.some((r) => r % 5 !== 0)) throw new Error('only held-out regions (multiples of 5) are evaluated here');

const model = await loadModel(path.resolve(values.model), { device: 'cpu', threads: Number(values.threads) });
const t1 = await readVolume(path.resolve(values.data!, 'ch2.nii.gz'));
const aal = await readLabelVolume(path.resolve(values.data!, 'aal_cortical.nii.gz'));
const names = new Map((await import('node:fs')).readFileSync(path.resolve(values.data!, 'aal_cortical.txt'), 'utf8').trim().split('\n').map((l) => {
  const [id, name] = l.split(/\s+/);
  return [Number(id), name!] as [number, string];
}));
const depth = aal.size[2];

function only(labels: LabelVolume, value: number, slices?: readonly number[]): LabelVolume {
  const full = { ...labels, data: labels.data.map((v) => (v === value ? 1 : 0)) };
  if (!slices) return full;
  const out = { ...full, data: new Uint8Array(full.data.length) };
  for (const s of slices) insertSlice(out, 2, s, extractSlice(full, 2, s));
  return out;
}

/** Dice on the slices that were predicted, not given. */
function diceUnlabelled(prediction: LabelVolume, truth: LabelVolume, labelled: readonly number[]): number {
  const plane = truth.size[0] * truth.size[1];
  const keep = (data: Uint8Array) => data.map((v, i) => (labelled.includes(Math.floor(i / plane)) ? 0 : v));
  return dice(keep(prediction.data), keep(truth.data));
}

if (!values['throughput-only']) {
  const labelled = Array.from({ length: Math.ceil(depth / every) }, (_, i) => i * every);
  const rows: { region: number; name?: string; labelledWithRegion: number; universeg: number; nearest: number; mci: number; networkRuns: number; seconds: number }[] = [];
  for (const region of regions) {
    const truth = only(aal, region);
    const partial = only(aal, region, labelled);
    const started = performance.now();
    const result = await propagateVolume(model, t1, partial, { labelledSlices: labelled, supportSize, roi: !values['no-roi'] });
    const seconds = (performance.now() - started) / 1000;
    const row = {
      region,
      name: names.get(region),
      labelledWithRegion: labelled.filter((s) => extractSlice(partial, 2, s).data.includes(1)).length,
      universeg: diceUnlabelled(result.labels, truth, labelled),
      nearest: diceUnlabelled(nearestSliceCopy(partial, 2, labelled), truth, labelled),
      mci: diceUnlabelled(await contourInterpolation(partial, 2, labelled), truth, labelled),
      networkRuns: result.networkRuns,
      seconds,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const mean = (k: 'universeg' | 'nearest' | 'mci') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  console.log('\n| region | slices with it | UniverSeg | nearest slice | contour interp. |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.region} ${r.name} | ${r.labelledWithRegion} | ${(100 * r.universeg).toFixed(1)} | ${(100 * r.nearest).toFixed(1)} | ${(100 * r.mci).toFixed(1)} |`);
  console.log(`| mean | | ${(100 * mean('universeg')).toFixed(1)} | ${(100 * mean('nearest')).toFixed(1)} | ${(100 * mean('mci')).toFixed(1)} |`);
}

// Throughput: one label, 10 labelled slices spread over it, support = all 10, K = 1, every other slice predicted.
const region = 85;
const [lo, hi] = [37, 95];
const ten = Array.from({ length: 10 }, (_, i) => Math.round(lo + ((hi - lo) * i) / 9));
// The first call at a support size builds its session: not part of the steady rate.
const S = model.config.inputSize;
await model.predict({ queries: new Float32Array(S * S), count: 1, poolImages: new Float32Array(10 * S * S), poolLabels: new Float32Array(10 * S * S), poolSize: 10, height: S, width: S });
const started = performance.now();
const timed = await propagateVolume(model, t1, only(aal, region, ten), { labelledSlices: ten, supportSize: 10 });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  throughput: { labelled: ten, predicted: timed.predictedSlices.length, networkRuns: timed.networkRuns, seconds, slicesPerSecond: timed.predictedSlices.length / seconds, threads: Number(values.threads) },
}));
await model.release();
