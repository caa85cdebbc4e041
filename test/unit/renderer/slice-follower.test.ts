import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SliceFollower } from '../../../renderer/src/viewer/slice-follower.js';

/** A loader whose answers the test releases by hand, recording what was asked. */
function manualLoader() {
  const asked: number[] = [];
  const pending: (() => void)[] = [];
  const load = (ref: number) =>
    new Promise<string | undefined>((resolve) => {
      asked.push(ref);
      pending.push(() => resolve(ref < 0 ? undefined : `slice ${ref}`));
    });
  const release = async () => {
    pending.shift()!();
    // Let the follower take the answer and ask for the next.
    for (let n = 0; n < 5; n++) await Promise.resolve();
  };
  return { asked, load, release };
}

test('scrolling faster than slices arrive: each answer is shown, slices scrolled past are never asked for', async () => {
  const { asked, load, release } = manualLoader();
  const shown: string[] = [];
  const settled: number[] = [];
  const follower = new SliceFollower<number, string>(
    load,
    (_ref, loaded) => shown.push(loaded),
    (ref) => settled.push(ref),
  );
  for (const ref of [10, 11, 12, 13]) follower.want(String(ref), ref);
  assert.deepEqual(asked, [10]);
  await release();
  // 11 and 12 were scrolled past while 10 loaded: the follower goes straight to 13.
  assert.deepEqual([asked, shown, settled], [[10, 13], ['slice 10'], []]);
  await release();
  assert.deepEqual([shown, settled], [['slice 10', 'slice 13'], [13]]);
  // The same slice again (another pane's crosshair moved) asks for nothing.
  follower.want('13', 13);
  assert.deepEqual(asked, [10, 13]);
});

test('a failed load stops the follower until another slice is wanted; clear drops an answer on its way', async () => {
  const { asked, load, release } = manualLoader();
  const shown: string[] = [];
  const follower = new SliceFollower<number, string>(
    load,
    (_ref, loaded) => shown.push(loaded),
    () => undefined,
  );
  follower.want('-1', -1);
  await release();
  assert.deepEqual([asked, shown], [[-1], []]);
  follower.want('5', 5);
  follower.clear();
  await release();
  assert.deepEqual([asked, shown], [[-1, 5], []]);
});
