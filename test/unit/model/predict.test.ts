import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadModel } from '../../../core/model/model.js';
import { Random } from '../../../core/util/random.js';
import { maxAbsDiff, UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

const model = await loadModel(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'), { device: 'cpu' });
after(() => model.release());
const S = 16;
const plane = S * S;
const rng = new Random(3);
const field = (n: number, binary: boolean) => Float32Array.from({ length: n }, () => (binary ? (rng.chance(0.3) ? 1 : 0) : rng.next()));
const pool = { poolImages: field(5 * plane, false), poolLabels: field(5 * plane, true), poolSize: 5 };
const queries = field(2 * plane, false);

describe('Model.predict (support-set ensembling)', () => {
  it('averages the sigmoid of each member, each member a seeded draw of N from the pool', async () => {
    const result = await model.predict({ queries, count: 2, ...pool, height: S, width: S, supportSize: 2, ensemble: 3, seed: 9 });
    assert.equal(result.members.length, 3);
    const expected = new Float32Array(2 * plane);
    const squares = new Float32Array(2 * plane);
    for (const member of result.members) {
      assert.equal(new Set(member).size, 2, 'a member draws without replacement');
      const pick = (data: Float32Array) => Float32Array.from(member.flatMap((p) => [...data.subarray(p * plane, (p + 1) * plane)]));
      for (let q = 0; q < 2; q++) {
        const logits = await model.logits({
          query: queries.subarray(q * plane, (q + 1) * plane),
          supportImages: pick(pool.poolImages),
          supportLabels: pick(pool.poolLabels),
          batch: 1,
          support: 2,
          height: S,
          width: S,
        });
        logits.forEach((l, i) => {
          const p = 1 / (1 + Math.exp(-l));
          expected[q * plane + i]! += p / 3;
          squares[q * plane + i]! += (p * p) / 3;
        });
      }
    }
    assert.ok(maxAbsDiff(result.probabilities, expected) < 1e-6);
    const spread = expected.map((m, i) => Math.sqrt(Math.max(0, squares[i]! - m * m)));
    assert.ok(maxAbsDiff(result.spread, spread) < 1e-4);
    assert.ok(
      result.spread.some((s) => s > 0),
      'different support sets disagree somewhere',
    );
  });

  it('is reproducible with a seed, and one member is the whole ensemble when the pool fits in N', async () => {
    const a = await model.predict({ queries, count: 2, ...pool, height: S, width: S, supportSize: 2, ensemble: 2, seed: 1 });
    const b = await model.predict({ queries, count: 2, ...pool, height: S, width: S, supportSize: 2, ensemble: 2, seed: 1 });
    assert.deepEqual(a.probabilities, b.probabilities);
    const all = await model.predict({ queries, count: 2, ...pool, height: S, width: S, ensemble: 4 });
    assert.deepEqual(all.members, [[0, 1, 2, 3, 4]]);
    assert.ok(all.spread.every((s) => s === 0));
  });

  it('reports progress and stops when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    await assert.rejects(
      model.predict({
        queries,
        count: 2,
        ...pool,
        height: S,
        width: S,
        supportSize: 2,
        ensemble: 3,
        signal: controller.signal,
        onProgress: (done) => {
          seen.push(done);
          if (done === 2) controller.abort();
        },
      }),
      /abort/i,
    );
    assert.deepEqual(seen, [1, 2]);
  });
});
