/**
 * Propagation as the propagation issue tried it: four bilateral labels propagated together, painted on C slices
 * spread from the first to the last slice where any of them shows, against nearest-slice copy and contour
 * interpolation. Only AAL regions that were trained on (both sides' ids not multiples of 5): a check of the
 * multi-label path and of labels seen on few slices, never a place to choose settings by held-out results. From the
 * repository root:
 *   node --import tsx test/tools/check-label-groups.ts [--model FILE] [--counts 10,3] [--threads 1]
 *        [--groups '[[[31,32],[33,34],[83,84],[87,88]], ...]'] [--data ../shared/data/train/colin27]
 */
import { parseArgs } from 'node:util';
import { contourInterpolation, nearestSliceCopy } from '../../core/eval/baselines.js';
import { diceOf, overlap, type Overlap } from '../../core/eval/dice.js';
import { extractSlice } from '../../core/data/extract-slice.js';
import { insertSlice } from '../../core/data/insert-slice.js';
import type { LabelVolume } from '../../core/data/volume.js';
import { defaultModelPath } from '../../core/infer/default-model.js';
import { propagateVolume } from '../../core/infer/propagate-volume.js';
import { loadModel } from '../../core/model/model.js';
import { colin27Regions } from './colin27-regions.js';

/** Cingulate and temporal poles, occipital, frontal: neighbours in each group, as deep grey structures are. */
const GROUPS = [
  [
    [31, 32],
    [33, 34],
    [83, 84],
    [87, 88],
  ],
  [
    [43, 44],
    [47, 48],
    [51, 52],
    [53, 54],
  ],
  [
    [1, 2],
    [7, 8],
    [11, 12],
    [13, 14],
  ],
];
const AXIS = 2;

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    counts: { type: 'string', default: '10,3' },
    threads: { type: 'string', default: '1' },
    groups: { type: 'string' },
    data: { type: 'string', default: '../shared/data/train/colin27' },
  },
});
const groups: number[][][] = values.groups ? JSON.parse(values.groups) : GROUPS;
if (groups.flat(2).some((id) => id % 5 === 0)) throw new Error('held-out regions (multiples of 5) are never used here');
const counts = values.counts!.split(',').map(Number);
const model = await loadModel(values.model ?? defaultModelPath(), { device: 'cpu', threads: Number(values.threads) });
const methods = ['universeg', 'network alone', 'shape alone', 'nearest slice', 'contour interpolation'] as const;
const means = new Map<string, number[]>();

for (const group of groups) {
  const { image, labels } = await colin27Regions(values.data!, group.flat());
  const valueOf = new Uint8Array(256);
  group.forEach((sides, i) => sides.forEach((id) => (valueOf[id] = i + 1)));
  const truth: LabelVolume = { ...labels, data: labels.data.map((v) => valueOf[v]!) };
  const slices = Array.from({ length: truth.size[AXIS] }, (_, s) => extractSlice(truth, AXIS, s).data);
  const showing = slices.flatMap((data, s) => (data.some((v) => v) ? [s] : []));
  const [first, last] = [showing[0]!, showing.at(-1)!];
  for (const count of counts) {
    const labelled = [...new Set(Array.from({ length: count }, (_, i) => Math.round(first + (i * (last - first)) / (count - 1))))];
    const partial: LabelVolume = { ...truth, data: new Uint8Array(truth.data.length) };
    for (const s of labelled) insertSlice(partial, AXIS, s, extractSlice(truth, AXIS, s));
    const propagate = async (networkWeight?: number) =>
      (await propagateVolume(model, image, partial, { axis: AXIS, labelledSlices: labelled, networkWeight })).labels;
    const started = performance.now();
    const predicted = [await propagate()];
    const seconds = (performance.now() - started) / 1000;
    predicted.push(
      await propagate(1),
      await propagate(0),
      nearestSliceCopy(partial, AXIS, labelled),
      await contourInterpolation(partial, AXIS, labelled),
    );
    const shown = group.map((_, i) => labelled.filter((s) => slices[s]!.includes(i + 1)));
    console.log(`\n${JSON.stringify(group)}: ${count} labelled slices (${labelled.join(', ')}), ${seconds.toFixed(1)} s as shipped`);
    console.log(`  labelled slices showing each label: ${shown.map((s) => `[${s.join(', ')}]`).join(' ')}`);
    methods.forEach((method, m) => {
      const predictedSlices = slices.map((_, s) => extractSlice(predicted[m]!, AXIS, s).data);
      const scores = group.map((_, i) => labelScores(slices, predictedSlices, i + 1, new Set(labelled)));
      const dice = mean(scores.map((s) => s.dice));
      const beyond = mean(scores.map((s) => s.beyond));
      (means.get(`${count} ${method}`) ?? means.set(`${count} ${method}`, []).get(`${count} ${method}`)!).push(dice);
      console.log(
        `  ${method.padEnd(22)} ${(100 * dice).toFixed(1)}  per label ${scores.map((s) => (100 * s.dice).toFixed(0)).join(' ')}` +
          `  beyond ${(100 * beyond).toFixed(1)}%`,
      );
    });
  }
}
console.log('\nmean over groups (Dice x100, per label on unlabelled slices):');
for (const [key, dice] of means) console.log(`  ${key.padEnd(26)} ${(100 * mean(dice)).toFixed(1)}`);
await model.release();

/** Dice of one label over the unlabelled slices, and its voxels predicted outside its true slice extent per true voxel. */
function labelScores(truth: readonly Uint8Array[], predicted: readonly Uint8Array[], value: number, labelled: ReadonlySet<number>) {
  const extent = truth.flatMap((t, s) => (t.includes(value) ? [s] : []));
  const counts: Overlap = { intersection: 0, sizeSum: 0 };
  let [outside, voxels] = [0, 0];
  truth.forEach((t, s) => {
    for (const v of t) if (v === value) voxels++;
    if (s < extent[0]! || s > extent.at(-1)!) for (const v of predicted[s]!) if (v === value) outside++;
    if (labelled.has(s)) return;
    const o = overlap(predicted[s]!, t, value);
    counts.intersection += o.intersection;
    counts.sizeSum += o.sizeSum;
  });
  return { dice: diceOf(counts), beyond: outside / voxels };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
