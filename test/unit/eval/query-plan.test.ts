import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellCost, DEFAULT_QUERY_PLAN, plannedQueries } from '../../../core/eval/query-plan.js';

describe('query plan', () => {
  const plan = { ...DEFAULT_QUERY_PLAN, budget: 48, maxQueries: 100, minQueries: 1 };
  it('spends about the same network work on every cell', () => {
    assert.equal(plannedQueries(plan, 1, 1, 64, 1000), 48);
    assert.equal(plannedQueries(plan, 8, 1, 64, 1000), 6);
    assert.equal(plannedQueries(plan, 4, 4, 64, 1000), 3);
    assert.equal(plannedQueries(plan, 64, 4, 65, 1000), 1);
    assert.equal(plannedQueries({ ...plan, budget: 1000 }, 1, 1, 64, 1000), 100);
    assert.equal(plannedQueries(plan, 1, 1, 64, 7), 7);
  });
  it('skips cells a task cannot fill: N beyond the pool, or an ensemble of the whole pool', () => {
    assert.equal(plannedQueries(plan, 16, 1, 12, 50), 0);
    assert.equal(plannedQueries(plan, 12, 1, 12, 50), 4);
    assert.equal(plannedQueries(plan, 12, 4, 12, 50), 0);
    assert.equal(plannedQueries(plan, 8, 4, 12, 50), 2);
  });
  it('costs K·(N + 1) support-example passes per query', () => {
    assert.equal(cellCost(8, 4, 3), 108);
  });
});
