import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EvaluationReport, PropagationCell } from '../../../core/eval/evaluation-report.js';
import { heldoutInContextTasks } from '../../../core/eval/heldout-tasks.js';
import { formatTablesMarkdown, formatTablesText, reportTables } from '../../../core/eval/report-tables.js';
import { runEvaluation } from '../../../core/eval/run-evaluation.js';
import type { Model } from '../../../core/model/model.js';
import { randomModel, twoRegions } from './tiny-heldout.js';

describe('runEvaluation on a tiny volume with random weights', () => {
  const data = twoRegions();
  const plan = { supportSizes: [1, 2, 4, 64], ensembles: [1, 2], budget: 4, maxQueries: 3, minQueries: 1 };
  let model: Model;
  let report: EvaluationReport;
  const progress: [number, number][] = [];

  before(async () => {
    model = await randomModel(32);
    report = await runEvaluation(model, {
      plan,
      syntheticTasks: 2,
      heldout: data,
      slab: { width: 3, gap: 1 },
      propagation: {
        regimes: [
          { kind: 'grid', step: 5 },
          { kind: 'sparse', count: 3 },
        ],
      },
      resamples: 200,
      onProgress: (done, total) => progress.push([done, total]),
    });
  });
  after(() => model.release());

  it('keeps every query slice of a held-out task out of, and gap + 1 away from, its support pool', () => {
    const { tasks } = heldoutInContextTasks(data, model.config, { slab: { width: 3, gap: 1 }, maxQueries: 100, seed: 0 });
    assert.equal(tasks.length, 6);
    for (const t of tasks) {
      for (const q of t.queries.slices!)
        for (const p of t.pool.slices!) assert.ok(Math.abs(q - p) >= 2, `${t.name}: query ${q}, support ${p}`);
      assert.equal(t.pool.count, t.pool.slices!.length);
    }
  });

  it('fills the cells each family can: N = 64 only from the synthetic pool of 64, and then only with K = 1', () => {
    assert.deepEqual(
      report.families.map((f) => [f.name, f.kind, f.tasks.length]),
      [
        ['synthetic', 'synthetic', 2],
        ['tiny', 'heldout', 6],
      ],
    );
    const cells = (family: string) => report.inContext.filter((c) => c.family === family).map((c) => `${c.supportSize}x${c.ensemble}`);
    assert.deepEqual(cells('synthetic'), ['1x1', '1x2', '2x1', '2x2', '4x1', '4x2', '64x1']);
    assert.deepEqual(cells('tiny'), ['1x1', '1x2', '2x1', '2x2', '4x1', '4x2']);
    for (const c of report.inContext) {
      assert.equal(
        c.queries,
        c.perTask.reduce((n, t) => n + t.scores.universeg.length, 0),
      );
      assert.deepEqual(
        Object.keys(c.methods),
        c.family === 'synthetic' ? ['universeg', 'supportMean'] : ['universeg', 'supportMean', 'nearestSlice'],
      );
      for (const e of Object.values(c.methods)) assert.ok(e.mean >= 0 && e.mean <= 1 && e.std >= 0, JSON.stringify(e));
    }
    // budget 4, N = 2, K = 2: one query per task.
    assert.equal(report.inContext.find((c) => c.family === 'synthetic' && c.supportSize === 2 && c.ensemble === 2)!.queries, 2);
  });

  it('propagates both regions and reports the work as it goes', () => {
    assert.equal(report.propagation.length, 2);
    const [p, sparse] = report.propagation as [PropagationCell, PropagationCell];
    assert.deepEqual([p.axis, p.regime, p.regions, p.perRegion.map((r) => r.id)], [2, { kind: 'grid', step: 5 }, 2, [5, 10]]);
    assert.deepEqual(p.perRegion[0]!.range, [0, 25]);
    // Three slices across each region, and the whole volume propagated.
    assert.deepEqual(sparse.regime, { kind: 'sparse', count: 3 });
    for (const r of sparse.perRegion) {
      assert.equal(r.labelledWithRegion, 3);
      assert.deepEqual(r.range, [0, data.labels.size[2] - 1]);
      for (const m of Object.values(r.beyond)) assert.ok(m >= 0);
    }
    for (const c of report.propagation) {
      assert.equal(c.overRegions.contourInterpolation!.regions, 2);
      assert.ok(c.overRegions.contourInterpolation!.wins <= 2);
    }
    assert.equal(progress.at(-1)![0], progress.at(-1)![1]);
    assert.ok(progress.every(([d, t], i) => t === progress[0]![1] && d <= t && (i === 0 || d >= progress[i - 1]![0])));
  });

  it('lays the tables out as ensembles x methods by support sizes, and propagation methods by labelling regime', () => {
    const tables = reportTables(report);
    assert.deepEqual(
      tables.map((t) => t.header.length),
      [6, 6, 3],
    );
    assert.deepEqual(
      tables.map((t) => t.rows.length),
      [2 * 3, 2 * 4, 5 + 4 + 4 + 5 + 2 + 1],
    );
    assert.deepEqual(tables[0]!.header, ['K', 'method', 'N=1', 'N=2', 'N=4', 'N=64']);
    assert.deepEqual(
      tables[1]!.rows.map((r) => `${r[0]} ${r[1]}`),
      [
        '1 UniverSeg',
        '1 support-mean prior',
        '1 nearest support slice',
        '1 queries (tasks)',
        '2 UniverSeg',
        '2 support-mean prior',
        '2 nearest support slice',
        '2 queries (tasks)',
      ],
    );
    const names = [
      'UniverSeg (as propagated)',
      'network alone',
      'shape-based interpolation',
      'nearest labelled slice',
      'contour interpolation',
    ];
    assert.deepEqual(
      tables[2]!.rows.map((r) => r[0]),
      [
        ...names,
        ...names.slice(1).map((n) => `UniverSeg minus ${n}, paired over slices`),
        ...names.slice(1).map((n) => `UniverSeg minus ${n}, over regions (wins)`),
        ...names.map((n) => `voxels beyond the true extent, ${n}`),
        'estimated Dice against real, UniverSeg',
        'estimate: mean abs. error, correlation over regions',
        'regions',
      ],
    );
    assert.deepEqual(tables[2]!.header, ['method', 'every 5th, whole volume', '3 slices across it']);
    assert.match(tables[2]!.rows[9]![1]!, /^-?\d+\.\d ± \d+\.\d \(\d\/2\)$/);
    assert.match(tables[2]!.notes[1]!, /network weighed 0\.5 against 0\.5/);
    for (const t of tables) for (const r of t.rows) assert.equal(r.length, t.header.length);
    // N = 64 on the held-out slices: no task has that many, and the table says so.
    assert.equal(tables[1]!.rows[0]![5], '—');
    assert.match(tables[0]!.rows[0]![2]!, /^\d+\.\d ± \d+\.\d$/);

    const markdown = formatTablesMarkdown(tables)
      .split('\n')
      .filter((l) => l.startsWith('|'));
    assert.equal(
      markdown.length,
      tables.reduce((n, t) => n + t.rows.length + 2, 0),
    );
    const text = formatTablesText(tables);
    assert.match(text, /2D in-context, synthetic/);
    assert.match(text, /every 5th, whole volume/);
  });

  it('gives the same numbers for the same seed', async () => {
    const again = await runEvaluation(model, {
      plan: { ...plan, supportSizes: [2], ensembles: [2] },
      syntheticTasks: 2,
      heldout: data,
      slab: { width: 3, gap: 1 },
      propagation: { regimes: [] },
      resamples: 200,
    });
    const pick = (r: EvaluationReport) => r.inContext.filter((c) => c.supportSize === 2 && c.ensemble === 2).map((c) => c.perTask);
    assert.deepEqual(pick(again), pick(report));
  });
});
