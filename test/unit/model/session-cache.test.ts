import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadModel } from '../../../core/model/model.js';
import { SessionCache } from '../../../core/model/session-cache.js';
import { UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

class FakeSession {
  released = false;
  constructor(readonly name: string) {}
  async release(): Promise<void> {
    this.released = true;
  }
}

describe('SessionCache (sessions kept within a memory budget)', () => {
  it('reuses a session, and releases the least recently used idle ones past the budget', async () => {
    const cache = new SessionCache<FakeSession>(10);
    const made: FakeSession[] = [];
    const use = (key: string, bytes: number) =>
      cache.use(
        key,
        bytes,
        async () => {
          made.push(new FakeSession(key));
          return made.at(-1)!;
        },
        async (s) => s.name,
      );
    assert.equal(await use('a', 4), 'a');
    assert.equal(await use('b', 4), 'b');
    assert.equal(await use('a', 4), 'a');
    assert.equal(made.length, 2, 'a cached shape is not built again');
    assert.deepEqual(cache.keys, ['b', 'a']);
    await use('c', 4);
    assert.deepEqual(cache.keys, ['a', 'c'], 'b, least recently used, made room');
    assert.deepEqual(
      made.map((s) => [s.name, s.released]),
      [
        ['a', false],
        ['b', true],
        ['c', false],
      ],
    );
    await use('huge', 50);
    assert.deepEqual(cache.keys, ['huge'], 'a session over the whole budget is kept alone while it is the last used');
    await cache.release();
    assert.deepEqual(cache.keys, []);
    assert.ok(made.every((s) => s.released));
  });

  it('never releases a session while it runs, and lets it go once done', async () => {
    const cache = new SessionCache<FakeSession>(10);
    const sessions = new Map<string, FakeSession>();
    const create = (key: string) => async () => {
      sessions.set(key, new FakeSession(key));
      return sessions.get(key)!;
    };
    let finish!: () => void;
    const long = cache.use('slow', 8, create('slow'), async (s) => {
      await new Promise<void>((resolve) => (finish = resolve));
      return s.released;
    });
    await cache.use('quick', 8, create('quick'), async () => null);
    assert.equal(sessions.get('slow')!.released, false, 'the running session stays');
    assert.deepEqual(cache.keys, ['slow', 'quick'], 'over the budget while it runs');
    finish();
    assert.equal(await long, false, 'its run saw it alive to the end');
    await new Promise(setImmediate);
    assert.ok(sessions.get('slow')!.released, 'released once done');
    assert.deepEqual(cache.keys, ['quick']);
  });

  it('forgets a session that failed to build, so the next use tries again', async () => {
    const cache = new SessionCache<FakeSession>(10);
    await assert.rejects(
      cache.use(
        'x',
        1,
        () => Promise.reject(new Error('no provider')),
        async () => null,
      ),
      /no provider/,
    );
    assert.deepEqual(cache.keys, []);
    assert.equal(
      await cache.use(
        'x',
        1,
        async () => new FakeSession('x'),
        async (s) => s.name,
      ),
      'x',
    );
  });

  it('bounds the sessions of a real model: many support sizes no longer pile up', async () => {
    const S = 16;
    const plane = S * S;
    const model = await loadModel(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'), {
      device: 'cpu',
      sessionBudget: 3 * 1024 * plane * 8,
    });
    const logits = (N: number) =>
      model.logits({
        query: new Float32Array(plane).fill(0.5),
        supportImages: new Float32Array(N * plane).fill(0.2),
        supportLabels: new Float32Array(N * plane).fill(1),
        batch: 1,
        support: N,
        height: S,
        width: S,
      });
    // A shape costs N + 1 units of 3 KiB x 256 pixels; the budget is 8 units.
    const first = await logits(3);
    await logits(1);
    assert.deepEqual(model.cachedShapes, ['1x3x16', '1x1x16']);
    await logits(2);
    await logits(4);
    assert.deepEqual(model.cachedShapes, ['1x2x16', '1x4x16']);
    await logits(5);
    assert.deepEqual(model.cachedShapes, ['1x5x16']);
    assert.deepEqual(await logits(3), first, 'a shape built again gives the same logits');
    await model.release();
    assert.deepEqual(model.cachedShapes, []);
  });
});
