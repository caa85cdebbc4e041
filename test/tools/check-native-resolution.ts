/**
 * 2D segmentation scored at the image's own resolution, as `universeg segment` runs it (whole images at the
 * model's input size; the network alone, and its run on the examples as given mixed with its run on them registered
 * onto the query, weighed against the best-fitting registered example; the probabilities brought back bilinearly),
 * for several models side by side: what a model's
 * input size costs a structure of a full-size slice. Tasks are the 2D in-context evaluation's (one per region and
 * axis, support and query slabs apart, N examples drawn from the support slabs). Families: Colin27 as it is,
 * pseudo-subject queries and pseudo-modality maps (core/eval/derived-families.ts), and rims `--rim` pixels wide at
 * full resolution. Models are compared with the default manifest (regions that were trained on); the held-out
 * manifest is for one run after the choice. From the repository root:
 *   node --import tsx test/tools/check-native-resolution.ts --models A.safetensors,B.safetensors
 *        [--data assets/eval/colin27-tuning.json] [--families as-is,pseudo-subject,pseudo-modality,thin]
 *        [--queries 6] [--support 8] [--rim 2] [--network-weights 0.75,1] [--aligned-shares 0,0.5] [--threads 1] [--json]
 * `--network-weights 1 --aligned-shares 0` compares the networks alone.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extractSlice, type Slice } from '../../core/data/extract-slice.js';
import type { Axis, LabelVolume, Volume } from '../../core/data/volume.js';
import { derivedVariant, rim } from '../../core/eval/derived-families.js';
import { dice } from '../../core/eval/dice.js';
import { nearestSupportExample } from '../../core/eval/in-context-baselines.js';
import { loadHeldoutData } from '../../core/eval/heldout-data.js';
import { slabSplit } from '../../core/eval/slab-split.js';
import { imageInput, maskInput, stack, windowToSlice } from '../../core/infer/model-input.js';
import {
  ALIGNED_SHARE,
  alignedProbability,
  bestFitting,
  registerExamples,
  SEGMENT_NETWORK_WEIGHT,
  weighAgainst,
} from '../../core/infer/registered-example.js';
import { loadModel } from '../../core/model/model.js';
import { sliceTasks } from '../../core/train/slice-tasks.js';
import { mixSeed } from '../../core/util/mix-seed.js';
import { Random } from '../../core/util/random.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    data: { type: 'string', default: 'assets/eval/colin27-tuning.json' },
    families: { type: 'string', default: 'as-is,pseudo-subject,pseudo-modality,thin' },
    queries: { type: 'string', default: '6' },
    support: { type: 'string', default: '8' },
    rim: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    seed: { type: 'string', default: '0' },
    'network-weights': { type: 'string', default: String(SEGMENT_NETWORK_WEIGHT) },
    'aligned-shares': { type: 'string', default: String(ALIGNED_SHARE) },
    json: { type: 'boolean' },
  },
});
if (!values.models) throw new Error('--models A.safetensors,B.safetensors: the models to compare');
const data = await loadHeldoutData(path.resolve(values.data!));
const models = await Promise.all(
  values.models.split(',').map(async (file) => ({
    name: path.basename(file),
    model: await loadModel(file, { device: 'cpu', threads: Number(values.threads) }),
  })),
);
// Each model alone, and with registered examples as `segment` runs it (registered-example.ts): every share of its
// run on the aligned examples with every weight against the best-fitting registered label.
const weights = values['network-weights']!.split(',').map(Number);
const shares = values['aligned-shares']!.split(',').map(Number);
const settings = shares.flatMap((share) => weights.map((weight) => ({ share, weight }))).filter((s) => s.share > 0 || s.weight < 1);
const asSegmentRuns = (name: string, s: { share: number; weight: number }) => `${name} aligned ${s.share}, network ${s.weight}`;
const methods = [...models.map((m) => m.name), 'nearest slice', ...models.flatMap((m) => settings.map((s) => asSegmentRuns(m.name, s)))];
const seed = Number(values.seed);
const rimWidth = Number(values.rim);

/** A rim `rimWidth` px wide of a full-resolution mask: the eval family's rim, on the slice padded to a square. */
function nativeRim(mask: Slice<Uint8Array>): Slice<Uint8Array> {
  const side = Math.max(mask.width, mask.height);
  const square = new Float32Array(side * side);
  for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) square[y * side + x] = mask.data[y * mask.width + x]!;
  const ring = rim(square, side, rimWidth);
  const out = new Uint8Array(mask.data.length);
  for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) out[y * mask.width + x] = ring[y * side + x]!;
  return { ...mask, data: out };
}

interface Row {
  family: string;
  region: number;
  dice: Record<string, number[]>;
}
const rows: Row[] = [];
const others = new Set([...new Set(data.labels.data)].filter((v) => !data.regions.some((r) => r.id === v)));
const found = sliceTasks(data.name, data.image, data.labels, { exclude: others });

for (const family of values.families!.split(',')) {
  const variant = family === 'as-is' || family === 'thin' ? {} : derivedVariant(family as 'pseudo-subject' | 'pseudo-modality', data, seed);
  const queryVolumes: readonly { image: Volume; labels: LabelVolume }[] = variant.queryVolumes ?? [data];
  for (const region of data.regions) {
    const row: Row = { family, region: region.id, dice: Object.fromEntries(methods.map((m) => [m, []])) };
    for (const axis of [0, 1, 2] as Axis[]) {
      const task = found.find((t) => t.label === region.id && t.axis === axis);
      const { support, query } = slabSplit(task?.slices ?? []);
      const maskOf = (labels: LabelVolume, s: number): Slice<Uint8Array> => {
        const slice = extractSlice(labels, axis, s);
        const binary = { ...slice, data: slice.data.map((v) => (v === region.id ? 1 : 0)) };
        return family === 'thin' ? nativeRim(binary) : binary;
      };
      const rng = new Random(mixSeed(seed, region.id, axis));
      const candidates = queryVolumes.flatMap((v) => query.map((s) => ({ volume: v, slice: s })));
      const picked = rng
        .sample(candidates.length, candidates.length)
        .map((i) => candidates[i]!)
        .map((c) => ({ ...c, image: extractSlice(c.volume.image, axis, c.slice), truth: maskOf(c.volume.labels, c.slice) }))
        .filter((c) => c.truth.data.some((v) => v))
        .slice(0, Number(values.queries));
      const pool = support.map((s) => ({ slice: s, image: extractSlice(data.image, axis, s), mask: maskOf(data.labels, s) }));
      if (pool.length === 0 || picked.length === 0) continue;
      const map = variant.intensity?.(region.id, axis);
      for (const [m, { name, model }] of models.entries()) {
        const size = model.config.inputSize;
        const input = (slice: Slice) => (map ? imageInput(slice, model.config).map(map) : imageInput(slice, model.config));
        const queries = stack(picked.map((c) => input(c.image)));
        const examples = {
          images: stack(pool.map((p) => input(p.image))),
          labels: stack(pool.map((p) => maskInput(p.mask, model.config, 1))),
        };
        const result = await model.predict({
          queries,
          count: picked.length,
          poolImages: examples.images,
          poolLabels: examples.labels,
          poolSize: pool.length,
          height: size,
          width: size,
          supportSize: Number(values.support),
          seed: mixSeed(seed, region.id, axis, 1),
        });
        // The label a user would copy from the nearest of the same support examples the network was given (the
        // 2D evaluation's baseline); every model draws the same examples from the same seed.
        if (m === 0)
          for (const c of picked) {
            const nearest = pool[nearestSupportExample(c.slice, support, result.members)]!;
            row.dice['nearest slice']!.push(dice(nearest.mask.data, c.truth.data));
          }
        for (const [q, c] of picked.entries()) {
          const at = (data: Float32Array) => data.subarray(q * size * size, (q + 1) * size * size);
          const score = (probability: Float32Array) =>
            dice(
              windowToSlice(probability, size, undefined, c.image.width, c.image.height).map((p) => (p > 0.5 ? 1 : 0)),
              c.truth.data,
            );
          const network = at(result.probabilities);
          row.dice[name]!.push(score(network));
          // Registered, and the network run on the aligned examples, once for all the settings compared.
          if (settings.length === 0) continue;
          const registered = registerExamples(at(queries), examples.images, examples.labels, result.members.flat(), size);
          const example = bestFitting(registered);
          const aligned = shares.some((s) => s > 0)
            ? await alignedProbability(model, at(queries), registered, result.members, size)
            : network;
          for (const s of settings)
            row.dice[asSegmentRuns(name, s)]!.push(score(weighAgainst(weighAgainst(aligned, network, s.share), example, s.weight)));
        }
      }
    }
    rows.push(row);
    console.error(
      `${family} ${region.id} ${region.name}: ${methods.map((m) => `${m} ${(100 * mean(row.dice[m]!)).toFixed(1)}`).join(', ')}`,
    );
  }
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

const summary = [...new Set(rows.map((r) => r.family))].map((family) => {
  const regions = rows.filter((r) => r.family === family);
  const perRegion = (m: string) => regions.map((r) => mean(r.dice[m]!));
  const first = perRegion(methods[0]!);
  return {
    family,
    regions: regions.length,
    methods: methods.map((m) => {
      const d = perRegion(m).map((v, i) => v - first[i]!);
      const md = mean(d);
      const se = Math.sqrt(d.reduce((a, v) => a + (v - md) ** 2, 0) / Math.max(1, d.length - 1) / d.length);
      return { method: m, dice: 100 * mean(perRegion(m)), minusFirst: 100 * md, se: 100 * se, ahead: d.filter((v) => v > 0).length };
    }),
    perRegion: regions.map((r) => ({ region: r.region, dice: Object.fromEntries(methods.map((m) => [m, 100 * mean(r.dice[m]!)])) })),
  };
});
if (values.json) console.log(JSON.stringify(summary));
for (const f of summary) {
  console.log(`\n${f.family} (${f.regions} regions; Dice x100 at full resolution; difference from ${methods[0]} over regions)`);
  for (const m of f.methods)
    console.log(
      `  ${m.method.padEnd(28)} ${m.dice.toFixed(1).padStart(5)}  ${m.minusFirst >= 0 ? '+' : ''}${m.minusFirst.toFixed(1)} ± ${m.se.toFixed(1)} (${m.ahead}/${f.regions})`,
    );
}
