import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import type { LabelVolume, Volume } from '../../../core/data/volume.js';
import { propagateVolume } from '../../../core/infer/propagate-volume.js';
import {
  liveRegistrationWorkers,
  RegistrationPool,
  spawnRegistrationWorker,
  type WorkerData,
} from '../../../core/infer/registration-pool.js';
import { volumeSliceWarps, type SliceWarps } from '../../../core/infer/slice-warps.js';
import type { Model } from '../../../core/model/model.js';
import { randomModel64 } from './random-model.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', 'volume');
// Axial slices 24..47 of the sample (a real T1 head MR): labelled at 27, 35 and 43 (now 3, 11, 19).
const [FROM, TO] = [24, 47];
const LABELLED = [3, 11, 19];

function slab<T extends Volume | LabelVolume>(grid: T, from: number, to: number): T {
  const plane = grid.size[0] * grid.size[1];
  return { ...grid, data: grid.data.slice(from * plane, (to + 1) * plane), size: [grid.size[0], grid.size[1], to - from + 1] };
}

/**
 * Every chained field between the labelled slices and the slices of their gaps and beyond, walked as propagation
 * walks, pausing `ms` after each slice as propagation does for the network, and 2 s after the first so that the
 * workers have loaded (pairs the caller claimed while they loaded are not theirs to serve).
 */
async function allFields(warps: SliceWarps, ms = 0): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const from of LABELLED) {
    for (let to = 0; to < TO - FROM + 1; to++) {
      const field = warps.field(from, to);
      if (field) out.push(field.dx, field.dy);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, out.length === 2 ? 2000 : ms));
    }
  }
  return out;
}

describe('RegistrationPool', () => {
  let volume: Volume;
  let partial: LabelVolume;
  let model: Model;
  const warpsWith = (pool?: RegistrationPool) =>
    volumeSliceWarps(
      volume,
      2,
      LABELLED.map((l) => extractSlice(partial, 2, l)),
      pool,
    )!;

  before(async () => {
    volume = slab(await readVolume(path.join(SAMPLE, 't1.nii.gz')), FROM, TO);
    partial = slab(await readLabelVolume(path.join(SAMPLE, 'labels-partial.nii.gz')), FROM, TO);
    model = await randomModel64();
  });
  after(() => model.release());

  it('gives the fields registration on this thread gives, bit for bit, and leaves no worker running once closed', async () => {
    const expected = await allFields(warpsWith());
    const pool = new RegistrationPool(2);
    const fields = await allFields(warpsWith(pool), 30).finally(() => pool.close());
    assert.ok(pool.served > 10, `${pool.served} steps came from the workers`);
    assert.equal(pool.live, 0);
    assert.equal(fields.length, expected.length);
    fields.forEach((f, i) => assert.deepEqual(f, expected[i]));
  });

  it('falls back to this thread, with the same fields, where workers cannot start or fail while loading', async () => {
    const expected = await allFields(warpsWith());
    const failing = [
      () => {
        throw new Error('no worker_threads here');
      },
      (data: WorkerData, transferList: MessagePort[]) =>
        spawnRegistrationWorker(data, transferList, new URL('./missing-worker.js', import.meta.url)),
    ];
    for (const spawn of failing) {
      const pool = new RegistrationPool(2, spawn);
      const fields = await allFields(warpsWith(pool), 5).finally(() => pool.close());
      assert.equal(pool.live, 0);
      fields.forEach((f, i) => assert.deepEqual(f, expected[i]));
    }
  });

  it('propagates a volume to the same labels and spread with workers as without, and none outlives propagation', async () => {
    let workers = 0;
    const run = (registrationWorkers: number) =>
      propagateVolume(model, volume, partial, {
        supportSize: 1,
        ensemble: 2,
        labelledSlices: LABELLED,
        registrationWorkers,
        onProgress: () => (workers = Math.max(workers, liveRegistrationWorkers())),
      });
    const alone = await run(0);
    assert.equal(workers, 0);
    const pooled = await run(2);
    assert.equal(workers, 2, 'the workers ran');
    assert.equal(liveRegistrationWorkers(), 0);
    assert.deepEqual(pooled.labels.data, alone.labels.data);
    assert.deepEqual(pooled.uncertainty.data, alone.uncertainty.data);
    assert.deepEqual(pooled.perLabel, alone.perLabel);
    assert.ok(
      pooled.labels.data.some((v, i) => v !== partial.data[i]),
      'propagation predicted something',
    );
  });

  it('terminates the workers when propagation is aborted', async () => {
    const controller = new AbortController();
    await assert.rejects(
      propagateVolume(model, volume, partial, {
        supportSize: 1,
        labelledSlices: LABELLED,
        signal: controller.signal,
        onProgress: (done) => done > 3 && controller.abort(),
      }),
      { name: 'AbortError' },
    );
    assert.equal(liveRegistrationWorkers(), 0);
  });
});
