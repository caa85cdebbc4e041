import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelSlice, Slice } from '../../../core/contract/index.js';
import { SliceLoader, type SliceRef } from '../../../renderer/src/viewer/slice-loader.js';

const slice = (index: number): Slice => ({ width: 1, height: 1, data: new Float32Array([index]) });
const labels = (value: number): LabelSlice => ({ width: 1, height: 1, data: new Uint8Array([value]) });
const ref = (index: number, revision: number | null = 1): SliceRef => ({
  studyId: 's',
  itemId: 'i',
  axis: 2,
  index,
  revision,
  uncertainty: false,
});

function counting(failFirst = false) {
  const fetched: string[] = [];
  let failures = failFirst ? 1 : 0;
  const loader = new SliceLoader(
    {
      slice: async (r) => {
        fetched.push(`slice ${r.index}`);
        if (failures-- > 0) throw new Error('the server does not answer');
        return slice(r.index);
      },
      labels: async (r) => {
        fetched.push(`labels ${r.index}@${r.revision}`);
        return labels(r.revision!);
      },
      uncertainty: async () => null,
    },
    2,
  );
  return { loader, fetched };
}

test('a slice is fetched once, by concurrent and later gets alike; labels again for each revision', async () => {
  const { loader, fetched } = counting();
  await Promise.all([loader.get(ref(0)), loader.get(ref(0))]);
  const again = await loader.get(ref(0, 2));
  assert.deepEqual(fetched, ['slice 0', 'labels 0@1', 'labels 0@2']);
  assert.deepEqual(again.labels?.data, new Uint8Array([2]));
});

test('a failed fetch is forgotten, so the next get tries again', async () => {
  const { loader, fetched } = counting(true);
  await assert.rejects(loader.get(ref(3, null)), /does not answer/);
  assert.deepEqual((await loader.get(ref(3, null))).slice.data, new Float32Array([3]));
  assert.deepEqual(fetched, ['slice 3', 'slice 3']);
});

test('the least recently used slice goes first once the cache is full; seeded labels need no fetch', async () => {
  const { loader, fetched } = counting();
  for (const index of [0, 1, 0, 2]) await loader.get(ref(index, null));
  fetched.length = 0;
  await loader.get(ref(0, null));
  await loader.get(ref(1, null));
  assert.deepEqual(fetched, ['slice 1'], 'slice 0 was used after 1, so 1 went');
  loader.seedLabels(ref(5, 9), labels(7));
  assert.deepEqual((await loader.get(ref(5, 9))).labels?.data, new Uint8Array([7]));
  assert.deepEqual(fetched, ['slice 1', 'slice 5']);
});
