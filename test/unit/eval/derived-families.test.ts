import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import {
  DERIVED_FAMILIES,
  derivedVariant,
  intensityMap,
  parseFamilies,
  pseudoSubjectSeeds,
  RIM_WIDTH,
  rim,
  shape,
} from '../../../core/eval/derived-families.js';
import type { HeldoutData } from '../../../core/eval/heldout-data.js';
import { heldoutInContextTasks } from '../../../core/eval/heldout-tasks.js';
import type { InContextTask } from '../../../core/eval/in-context-task.js';
import type { ModelConfig } from '../../../core/model/config.js';
import { FIXTURES } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/run-cli.js';

// Real data that a fresh clone has: Colin27 at 3 mm with two AAL regions (2 Precentral_R, 8 Frontal_Mid_R).
const BATCH = path.join(FIXTURES, 'batch');
const IMAGE = path.join(BATCH, 'colin27-3mm.nii.gz');
const LABELS = path.join(BATCH, 'colin27-3mm-labels.nii.gz');
const TINY_MODEL = path.join(FIXTURES, 'workflow', 'tiny-model.safetensors');
const REGIONS = [
  { id: 2, name: 'Precentral_R' },
  { id: 8, name: 'Frontal_Mid_R' },
];
const CONFIG = { inputSize: 32, normalisation: 'minmax' } as ModelConfig;
const SLAB = { width: 4, gap: 1 };

async function colin3mm(): Promise<HeldoutData> {
  const [image, labels] = await Promise.all([readVolume(IMAGE), readLabelVolume(LABELS)]);
  return { name: 'colin27-3mm', image, labels, regions: REGIONS };
}

function planes(stack: Float32Array, count: number): Float32Array[] {
  const plane = stack.length / count;
  return Array.from({ length: count }, (_, i) => stack.subarray(i * plane, (i + 1) * plane));
}

const tasksOf = (data: HeldoutData, variant?: ReturnType<typeof derivedVariant>): InContextTask[] =>
  heldoutInContextTasks(data, CONFIG, { slab: SLAB, maxQueries: 100, seed: 0, variant }).tasks;

describe('task families derived from the held-out data (issue #13)', () => {
  let data: HeldoutData;
  let plain: InContextTask[];
  before(async () => {
    data = await colin3mm();
    plain = tasksOf(data);
    assert.equal(plain.length, 6, 'two regions x three axes');
  });

  it('draws smooth intensity maps of [0, 1] onto itself that fold at least once, one per seed', () => {
    const grid = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const curves = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => grid.map(intensityMap(seed)));
    for (const curve of curves) {
      const { rise, fall, turns } = shape(curve);
      assert.ok(rise >= 0.25 && fall >= 0.25, `rises ${rise} and falls ${fall}`);
      assert.ok(turns >= 1 && turns <= 3, `${turns} turns`);
      assert.ok(Math.min(...curve) >= 0 && Math.max(...curve) <= 1);
      assert.ok(Math.max(...curve) - Math.min(...curve) > 0.99, 'spans [0, 1]');
      // Smooth: no jump between neighbouring greys.
      assert.ok(curve.every((v, i) => i === 0 || Math.abs(v - curve[i - 1]!) < 0.05));
    }
    assert.deepEqual(grid.map(intensityMap(3)), curves[2]);
    assert.notDeepEqual(curves[0], curves[1]);
  });

  it('pseudo-modality: the same non-monotonic map on support and queries of a task, labels and slices unchanged', () => {
    const variant = derivedVariant('pseudo-modality', data, 0);
    const mapped = tasksOf(data, variant);
    assert.deepEqual(
      mapped.map((t) => t.name),
      plain.map((t) => t.name),
    );
    const maps = new Set<string>();
    for (const [i, t] of mapped.entries()) {
      const p = plain[i]!;
      const [region, axis] = [Number(t.name.split(' ')[0]), Number(t.name.split(' axis ')[1])] as [number, 0 | 1 | 2];
      const map = variant.intensity!(region, axis);
      const grid = Array.from({ length: 257 }, (_, g) => map(g / 256));
      assert.ok(shape(grid).rise >= 0.25 && shape(grid).fall >= 0.25, `${t.name}: the map folds`);
      maps.add(grid.map((v) => v.toFixed(4)).join());
      assert.deepEqual(t.pool.slices, p.pool.slices);
      assert.deepEqual(t.queries.slices, p.queries.slices);
      assert.deepEqual(t.pool.labels, p.pool.labels);
      assert.deepEqual(t.queries.labels, p.queries.labels);
      for (const which of ['pool', 'queries'] as const) {
        const expected = p[which].images.map(map);
        const got = t[which].images;
        assert.equal(got.length, expected.length);
        for (let n = 0; n < got.length; n++) assert.ok(Math.abs(got[n]! - expected[n]!) < 1e-6, `${t.name} ${which} pixel ${n}`);
      }
      // Contrast is not T1's: some pairs of pixels swap their order of brightness.
      const before = p.queries.images;
      const after = t.queries.images;
      let swapped = 0;
      for (let n = 1; n < before.length; n += 7) if ((before[n]! - before[n - 1]!) * (after[n]! - after[n - 1]!) < -1e-6) swapped++;
      assert.ok(swapped > 0, `${t.name}: no pair of pixels changed order`);
    }
    assert.equal(maps.size, mapped.length, 'one map per task');
  });

  it('thin: rims of the regions, non-empty, every labelled pixel within RIM_WIDTH px of the region border', () => {
    const thin = tasksOf(data, derivedVariant('thin', data, 0));
    assert.equal(thin.length, plain.length);
    const size = CONFIG.inputSize;
    let rimPixels = 0;
    let regionPixels = 0;
    for (const [i, t] of thin.entries()) {
      const p = plain[i]!;
      for (const which of ['pool', 'queries'] as const) {
        const regions = planes(p[which].labels, p[which].count);
        for (const [e, label] of planes(t[which].labels, t[which].count).entries()) {
          const region = regions[e]!;
          assert.ok(
            label.some((v) => v > 0),
            `${t.name} ${which} ${e}: empty rim`,
          );
          for (let n = 0; n < label.length; n++) {
            if (!label[n]) continue;
            assert.equal(region[n], 1, 'the rim lies in the region');
            const [x, y] = [n % size, Math.floor(n / size)];
            let near = false;
            for (let dy = -RIM_WIDTH; dy <= RIM_WIDTH && !near; dy++)
              for (let dx = -RIM_WIDTH; dx <= RIM_WIDTH && !near; dx++) {
                const [u, v] = [x + dx, y + dy];
                near = u < 0 || v < 0 || u >= size || v >= size || !region[v * size + u];
              }
            assert.ok(near, `${t.name} ${which} ${e}: pixel (${x}, ${y}) is more than ${RIM_WIDTH} px inside`);
            rimPixels++;
          }
          regionPixels += region.reduce((a, v) => a + v, 0);
        }
      }
    }
    assert.ok(rimPixels < regionPixels, `rims hold ${rimPixels} of ${regionPixels} region pixels`);
    // A square's rim, by hand: a 6x6 block keeps its outer ring only.
    const block = new Float32Array(100).map((_, n) => (n % 10 >= 2 && n % 10 < 8 && n >= 20 && n < 80 ? 1 : 0));
    const ring = rim(block, 10, 1);
    assert.equal(
      ring.reduce((a, v) => a + v, 0),
      36 - 16,
    );
    assert.equal(ring[4 * 10 + 4], 0);
    assert.equal(ring[2 * 10 + 2], 1);
  });

  it('pseudo-subject: support as the volume is, queries from deformed pseudo-subjects of it', () => {
    const variant = derivedVariant('pseudo-subject', data, 0);
    assert.equal(variant.queryVolumes!.length, 2);
    assert.deepEqual(pseudoSubjectSeeds(0), pseudoSubjectSeeds(0));
    assert.ok(pseudoSubjectSeeds(0).every((s) => s !== 0));
    const subjects = tasksOf(data, variant);
    assert.ok(subjects.length >= 5, `${subjects.length} tasks`);
    let differentImages = 0;
    let differentLabels = 0;
    let queries = 0;
    for (const t of subjects) {
      const p = plain.find((q) => q.name === t.name)!;
      assert.deepEqual(t.pool.slices, p.pool.slices);
      assert.deepEqual(t.pool.images, p.pool.images);
      assert.deepEqual(t.pool.labels, p.pool.labels);
      // Query slices come from the query slabs, and so keep their distance from the support.
      for (const q of t.queries.slices!) for (const s of t.pool.slices!) assert.ok(Math.abs(q - s) > SLAB.gap, `query ${q}, support ${s}`);
      const originals = p;
      const byIndex = new Map(originals.queries.slices!.map((s, i) => [s, i]));
      const plane = CONFIG.inputSize ** 2;
      for (const [q, s] of t.queries.slices!.entries()) {
        const o = byIndex.get(s);
        if (o === undefined) continue;
        queries++;
        const a = t.queries.images.subarray(q * plane, (q + 1) * plane);
        const b = originals.queries.images.subarray(o * plane, (o + 1) * plane);
        const la = t.queries.labels.subarray(q * plane, (q + 1) * plane);
        const lb = originals.queries.labels.subarray(o * plane, (o + 1) * plane);
        if (a.some((v, n) => Math.abs(v - b[n]!) > 0.05)) differentImages++;
        if (la.some((v, n) => v !== lb[n])) differentLabels++;
        assert.ok(la.some((v) => v > 0));
      }
    }
    assert.ok(queries > 20, `${queries} queries compared`);
    assert.equal(differentImages, queries, 'every query image differs from the original slice');
    assert.ok(differentLabels >= 0.9 * queries, `${differentLabels} of ${queries} query labels moved`);
  });

  it('parses --families lists and names the families it knows for anything else', () => {
    assert.deepEqual(parseFamilies('thin,pseudo-subject'), ['pseudo-subject', 'thin']);
    assert.deepEqual(parseFamilies('none'), []);
    assert.deepEqual(parseFamilies(DERIVED_FAMILIES.join(',')), [...DERIVED_FAMILIES]);
    assert.throws(
      () => parseFamilies('thin,bogus'),
      /unknown family 'bogus'; give a comma list of pseudo-subject, pseudo-modality, thin, or none/,
    );
    assert.throws(() => parseFamilies(''), /no family given/);
  });
});

describe('universeg eval --families', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'universeg-families-'));
    await fs.writeFile(
      path.join(dir, 'colin.json'),
      JSON.stringify({ name: 'colin27-3mm', image: IMAGE, labels: LABELS, regions: REGIONS }),
    );
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('says which names it takes, and that the families need held-out data', async () => {
    const bogus = await runCli(['eval', '--model', TINY_MODEL, '--families', 'thin,rims']);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /--families: unknown family 'rims'; give a comma list of pseudo-subject, pseudo-modality, thin, or none/);
    const synthetic = await runCli(['eval', '--model', TINY_MODEL, '--no-heldout', '--families', 'thin']);
    assert.equal(synthetic.code, 2);
    assert.match(synthetic.stderr, /--families derives tasks from the held-out data/);
    const help = await runCli(['eval', '--help']);
    assert.match(help.stdout, /--families LIST/);
  });

  it('adds one table per family after the held-out one by default, and none with --families none', async () => {
    const common = ['eval', '--model', TINY_MODEL, '--data', path.join(dir, 'colin.json'), '--synthetic', '0', '--regimes', '0'];
    const plan = ['--support', '2', '--ensemble', '1', '--budget', '2', '--max-queries', '2', '--axes', '2', '--threads', '1', '--json'];
    const all = await runCli([...common, ...plan]);
    assert.equal(all.code, 0, all.stderr);
    const report = JSON.parse(all.stdout) as {
      families: { name: string; kind: string; tasks: string[] }[];
      inContext: { family: string; methods: Record<string, { mean: number }> }[];
      settings: { derived?: { families: string[]; rimWidth: number } };
    };
    assert.deepEqual(
      report.families.map((f) => [f.name, f.kind, f.tasks.length]),
      [
        ['colin27-3mm', 'heldout', 2],
        ['colin27-3mm pseudo-subject', 'pseudo-subject', 2],
        ['colin27-3mm pseudo-modality', 'pseudo-modality', 2],
        ['colin27-3mm thin', 'thin', 2],
      ],
    );
    assert.deepEqual(report.settings.derived?.families, [...DERIVED_FAMILIES]);
    for (const c of report.inContext) assert.deepEqual(Object.keys(c.methods), ['universeg', 'supportMean', 'nearestSlice'], c.family);
    const titles = all.stderr.split('\n').filter((l) => l.startsWith('2D in-context'));
    assert.deepEqual(
      titles.map((t) => t.split(':')[0]),
      [
        '2D in-context, colin27-3mm',
        '2D in-context, colin27-3mm pseudo-subject',
        '2D in-context, colin27-3mm pseudo-modality',
        '2D in-context, colin27-3mm thin',
      ],
    );
    assert.match(all.stderr, /Proxy for another subject/);
    assert.match(all.stderr, /Proxy for another contrast/);
    assert.match(all.stderr, /Proxy for thin structures/);

    const none = await runCli([...common, ...plan, '--families', 'none']);
    assert.equal(none.code, 0, none.stderr);
    const plainReport = JSON.parse(none.stdout) as typeof report;
    assert.deepEqual(
      plainReport.families.map((f) => f.name),
      ['colin27-3mm'],
    );
    // The held-out family's numbers do not depend on the families after it.
    const heldout = (r: typeof report) => r.inContext.filter((c) => c.family === 'colin27-3mm');
    assert.deepEqual(heldout(plainReport), heldout(report));
  });
});
