import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageSlab, LabelChanges, LabelSlice } from '../../../core/contract/index.js';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { cutSlice } from '../../../renderer/src/viewer/cut-slice.js';
import { fetchGreyVolume } from '../../../renderer/src/viewer/grey-volume.js';
import { LabelReplica } from '../../../renderer/src/viewer/label-replica.js';
import { SliceLoader, type SliceRef } from '../../../renderer/src/viewer/slice-loader.js';
import { SliceSource } from '../../../renderer/src/viewer/slice-source.js';

const SIZE: [number, number, number] = [4, 3, 5];
const VOXELS = 60;
const grey = Float32Array.from({ length: VOXELS }, (_, n) => n - 30);

test('a slice cut from an int16 volume holds the values the engine cuts, along every axis; an axial one is a view', () => {
  const held = { size: SIZE, data: Int16Array.from(grey) };
  for (const axis of [0, 1, 2] as const) {
    for (let index = 0; index < SIZE[axis]; index++) {
      const cut = cutSlice(held, axis, index);
      const engine = extractSlice({ data: grey, size: SIZE }, axis, index);
      assert.ok(cut.data instanceof Int16Array);
      assert.deepEqual([cut.width, cut.height, [...cut.data]], [engine.width, engine.height, [...engine.data]]);
    }
  }
  assert.equal(cutSlice(held, 2, 1).data.buffer, held.data.buffer);
});

/** The engine's slabs of `grey` as int16, two slices at a time. */
function slabs(asked: number[]) {
  return async (from: number): Promise<ImageSlab> => {
    asked.push(from);
    const count = Math.min(2, SIZE[2] - from);
    return { type: 'int16', from, count, data: Int16Array.from(grey.subarray(from * 12, (from + count) * 12)) };
  };
}

test('the image arrives slab by slab into one array, telling its progress', async () => {
  const asked: number[] = [];
  const progress: number[] = [];
  const volume = await fetchGreyVolume(SIZE, slabs(asked), {
    budgetBytes: 1000,
    onProgress: (f) => progress.push(f),
    signal: new AbortController().signal,
  });
  assert.deepEqual(asked, [0, 2, 4]);
  assert.deepEqual(progress, [0.4, 0.8, 1]);
  assert.ok(volume?.data instanceof Int16Array);
  assert.deepEqual([...volume.data], [...grey]);
});

test('an image past the budget, or one no longer wanted, is not fetched on', async () => {
  const asked: number[] = [];
  const options = { onProgress: () => undefined, signal: new AbortController().signal };
  assert.equal(await fetchGreyVolume(SIZE, slabs(asked), { ...options, budgetBytes: 2 * VOXELS - 1 }), null);
  assert.deepEqual(asked, [0]);
  const stop = new AbortController();
  const stopping = fetchGreyVolume(SIZE, async (from) => (stop.abort(), slabs([])(from)), {
    ...options,
    budgetBytes: 1000,
    signal: stop.signal,
  });
  assert.equal(await stopping, null);
});

test('a slab that does not fit where it was asked for fails the fetch', async () => {
  const wrong = async (from: number): Promise<ImageSlab> => ({ type: 'int16', from: from + 1, count: 1, data: new Int16Array(12) });
  await assert.rejects(
    fetchGreyVolume(SIZE, wrong, { budgetBytes: 1000, onProgress: () => undefined, signal: new AbortController().signal }),
    /does not fit the image at slice 0/,
  );
});

/** An engine's label map and the replies getLabelChanges gives for it. */
function engineLabels() {
  const map = new Uint8Array(VOXELS);
  let revision = 3;
  const log: { revision: number; axis: 0 | 1 | 2; index: number }[] = [];
  const asked: (number | undefined)[] = [];
  return {
    asked,
    map,
    get revision() {
      return revision;
    },
    paint(axis: 0 | 1 | 2, index: number, value: number): LabelSlice {
      const slice = extractSlice({ data: map, size: SIZE }, axis, index);
      slice.data.fill(value);
      const { width, height } = slice;
      // Written back as the engine's insertSlice would, by going through every voxel of the slice.
      const strides = [1, SIZE[0], SIZE[0] * SIZE[1]];
      const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) map[index * strides[axis]! + y * strides[v]! + x * strides[u]!] = value;
      log.push({ revision: ++revision, axis, index });
      return slice;
    },
    async changes(since: number | undefined): Promise<LabelChanges> {
      asked.push(since);
      if (since === undefined) return { revision, changes: { kind: 'whole', data: map.slice() } };
      const slices = log
        .filter((e) => e.revision > since)
        .map(({ axis, index }) => ({ axis, index, ...extractSlice({ data: map, size: SIZE }, axis, index) }));
      return { revision, changes: { kind: 'slices', slices } };
    },
  };
}

test('the label copy catches up with the slices changed since its revision', async () => {
  const engine = engineLabels();
  const replica = new LabelReplica(SIZE, (since) => engine.changes(since));
  assert.equal(replica.ready, false);
  await replica.reach(0);
  assert.equal(replica.revision, 3);
  engine.paint(0, 2, 5);
  engine.paint(2, 4, 6);
  await replica.reach(engine.revision);
  assert.deepEqual(engine.asked, [undefined, 3]);
  for (const axis of [0, 1, 2] as const) {
    for (let index = 0; index < SIZE[axis]; index++) {
      assert.deepEqual(replica.slice(axis, index), extractSlice({ data: engine.map, size: SIZE }, axis, index));
    }
  }
});

test('an acknowledged edit is applied here when the copy is at the revision before it, and never twice over a newer copy', async () => {
  const engine = engineLabels();
  const replica = new LabelReplica(SIZE, (since) => engine.changes(since));
  await replica.reach(0);
  const slice = engine.paint(2, 1, 9);
  replica.seed(engine.revision, 2, 1, slice);
  assert.equal(replica.revision, engine.revision);
  await replica.reach(engine.revision);
  assert.equal(engine.asked.length, 1, 'no fetch for an edit seeded');
  assert.deepEqual(replica.slice(2, 1)?.data, slice.data);
  // A seed from further back than the copy's revision plus one is left to the engine's answer.
  engine.paint(2, 0, 1);
  const late = engine.paint(2, 2, 2);
  replica.seed(engine.revision, 2, 2, late);
  assert.equal(replica.revision, engine.revision - 2);
  await replica.reach(engine.revision);
  assert.deepEqual(replica.slice(2, 0)?.data, new Uint8Array(12).fill(1));
});

test('without a map the copy cuts no labels; a first edit elsewhere starts it from zeros', async () => {
  let reply: LabelChanges = { revision: 0, changes: { kind: 'none' } };
  const replica = new LabelReplica(SIZE, async () => reply);
  await replica.reach(0);
  assert.equal(replica.slice(2, 0), null);
  reply = {
    revision: 1,
    changes: { kind: 'slices', slices: [{ axis: 2, index: 3, width: 4, height: 3, data: new Uint8Array(12).fill(7) }] },
  };
  await replica.reach(1);
  assert.deepEqual(replica.slice(2, 3)?.data, new Uint8Array(12).fill(7));
  assert.deepEqual(replica.slice(2, 2)?.data, new Uint8Array(12));
});

test('the source cuts the held item’s slices and asks the engine for any other', async () => {
  const fetched: string[] = [];
  const loader = new SliceLoader({
    slice: async (r) => (fetched.push(`slice ${r.itemId} ${r.index}`), { width: 1, height: 1, data: new Float32Array(1) }),
    labels: async (r) => (fetched.push(`labels ${r.itemId} ${r.index}`), null),
    uncertainty: async (r) => (fetched.push(`uncertainty ${r.itemId} ${r.index}`), null),
  });
  const source = new SliceSource(loader);
  const engine = engineLabels();
  const labels = new LabelReplica(SIZE, (since) => engine.changes(since));
  const ref = (itemId: string, index: number, uncertainty = false): SliceRef => ({
    studyId: 's',
    itemId,
    axis: 2,
    index,
    revision: 3,
    uncertainty,
  });
  source.hold({ studyId: 's', itemId: 'held', grey: null, labels });
  // Neither the image nor the labels have arrived: both are asked for.
  await source.get(ref('held', 1));
  assert.deepEqual(fetched.splice(0), ['slice held 1', 'labels held 1']);
  await labels.reach(0);
  const pair = await source.get(ref('held', 1));
  assert.deepEqual(
    fetched.splice(0),
    ['slice held 1'].filter(() => false),
  );
  assert.deepEqual(pair.labels, labels.slice(2, 1));
  source.hold({ studyId: 's', itemId: 'held', grey: { size: SIZE, data: Int16Array.from(grey) }, labels });
  const cut = await source.get(ref('held', 4, true));
  assert.deepEqual([...cut.slice.data], [...extractSlice({ data: grey, size: SIZE }, 2, 4).data]);
  assert.deepEqual(fetched.splice(0), ['uncertainty held 4']);
  await source.get(ref('other', 0));
  assert.deepEqual(fetched.splice(0), ['slice other 0', 'labels other 0']);
});

test('the 3D view gets a copy of the held map at the revision asked for, and nothing for another item', async () => {
  const engine = engineLabels();
  const labels = new LabelReplica(SIZE, (since) => engine.changes(since));
  const source = new SliceSource(
    new SliceLoader({ slice: async () => assert.fail(), labels: async () => null, uncertainty: async () => null }),
  );
  source.hold({ studyId: 's', itemId: 'held', grey: null, labels });
  assert.equal(source.labelMap('s', 'held', 3), null, 'not arrived yet');
  await labels.reach(0);
  engine.paint(1, 2, 8);
  const copy = await source.labelMap('s', 'held', engine.revision);
  assert.deepEqual(copy?.data, engine.map);
  assert.notEqual(copy?.data, engine.map);
  assert.equal(source.labelMap('s', 'other', 3), null);
});

test('a map larger than a slab is copied over several tasks, and over again when an edit lands between slabs', async () => {
  const size: [number, number, number] = [256, 256, 40];
  const voxels = size[0] * size[1] * size[2];
  const map = new Uint8Array(voxels).map((_, p) => p % 7);
  const labels = new LabelReplica(size, async () => ({ revision: 1, changes: { kind: 'whole', data: map.slice() } }));
  await labels.reach(1);
  const copying = labels.copy();
  // While the copy waits for its next task: an edit the engine acknowledged at revision 2, on the last slice.
  const edit = { width: 256, height: 256, data: new Uint8Array(256 * 256).fill(9) };
  labels.seed(2, 2, 39, edit);
  const copy = await copying;
  assert.equal(copy?.length, voxels);
  assert.deepEqual(copy?.subarray(0, 1000), map.subarray(0, 1000));
  assert.ok(
    copy?.subarray(39 * 256 * 256).every((v) => v === 9),
    'the copy is of the edited map',
  );
  assert.deepEqual(labels.slice(2, 0)?.data, copy?.subarray(0, 256 * 256));
});
