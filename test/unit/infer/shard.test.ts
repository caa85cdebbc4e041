import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard, takeShard } from '../../../core/infer/shard.js';

describe('shards', () => {
  it('parse i/n with 1 <= i <= n and refuse anything else', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard(' 1/1 '), { index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/3']) assert.throws(() => parseShard(bad), /i\/n/, bad);
  });

  it('partition any list: every entry in exactly one shard, in order, sizes differing by at most one', () => {
    for (let length = 0; length <= 13; length++) {
      const entries = Array.from({ length }, (_, i) => `input-${i}`);
      assert.deepEqual(takeShard(entries, undefined), entries);
      for (let count = 1; count <= 6; count++) {
        const shards = Array.from({ length: count }, (_, i) => takeShard(entries, { index: i + 1, count }));
        const all = shards.flat();
        assert.equal(all.length, length, `${length} entries over ${count}`);
        assert.deepEqual([...all].sort(), [...entries].sort());
        for (const s of shards)
          assert.deepEqual(
            s,
            [...s].sort((a, b) => entries.indexOf(a) - entries.indexOf(b)),
          );
        const sizes = shards.map((s) => s.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
      }
    }
  });
});
