import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { labelsInside, loadDatasetSource } from '../../../core/train/dataset-source.js';
import { Random } from '../../../core/util/random.js';

function ball(size: [number, number, number], radius: number, value: number): LabelVolume {
  const data = new Uint8Array(size[0] * size[1] * size[2]);
  const c = size.map((s) => (s - 1) / 2);
  let i = 0;
  for (let z = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, i++) if ((x - c[0]!) ** 2 + (y - c[1]!) ** 2 + (z - c[2]!) ** 2 <= radius ** 2) data[i] = value;
  return { data, size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 3, source: 'test' };
}

describe('real-data task source', () => {
  it('slices every label into tasks, and skips bad pairs with a reason while the good pair trains', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-dataset-'));
    fs.mkdirSync(path.join(dir, 'images'));
    fs.mkdirSync(path.join(dir, 'labels'));
    const good = ball([24, 20, 16], 6, 3);
    const image = { ...good, data: good.data.map((v) => (v ? 200 : 40)) };
    await writeLabelVolume(path.join(dir, 'images', 'good.nii.gz'), image);
    await writeLabelVolume(path.join(dir, 'labels', 'good.nii.gz'), good);
    await writeLabelVolume(path.join(dir, 'images', 'mismatch.nii.gz'), image);
    await writeLabelVolume(path.join(dir, 'labels', 'mismatch.nii.gz'), ball([20, 20, 16], 5, 1));
    await writeLabelVolume(path.join(dir, 'images', 'empty.nii.gz'), image);
    await writeLabelVolume(path.join(dir, 'labels', 'empty.nii.gz'), ball([24, 20, 16], 0.1, 0));
    fs.writeFileSync(path.join(dir, 'images', 'broken.nii.gz'), fs.readFileSync(path.join(dir, 'images', 'good.nii.gz')).subarray(0, 60));
    fs.copyFileSync(path.join(dir, 'labels', 'good.nii.gz'), path.join(dir, 'labels', 'broken.nii.gz'));

    const { source, skipped } = await loadDatasetSource(dir);
    const reasons = Object.fromEntries(skipped.map((s) => [path.basename(s.path), s.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ['broken.nii.gz', 'empty.nii.gz', 'mismatch.nii.gz']);
    assert.match(reasons['mismatch.nii.gz']!, /20x20x16.*24x20x16/);
    assert.match(reasons['empty.nii.gz']!, /no label/);
    assert.ok(reasons['broken.nii.gz']!.length > 0);
    assert.equal(source.taskCount, 3, 'one label, three axes');

    const set = source.sampleSet(new Random(1), 16, 4);
    assert.equal(set.support.length, 4);
    for (const pair of [{ image: set.query, label: set.queryLabel }, ...set.support]) {
      assert.equal(pair.image.length, 256);
      assert.ok(pair.label.every((v) => v === 0 || v === 1));
      assert.ok(
        pair.label.some((v) => v === 1),
        'every drawn slice shows the label',
      );
      assert.ok(Math.min(...pair.image) >= 0 && Math.max(...pair.image) <= 1);
    }
  });

  it('cuts a manifest pair only across the axes it names, and refuses axes that do not exist', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-axes-'));
    const labels = ball([24, 20, 16], 6, 3);
    await writeLabelVolume(path.join(dir, 'image.nii.gz'), { ...labels, data: labels.data.map((v) => (v ? 200 : 40)) });
    await writeLabelVolume(path.join(dir, 'labels.nii.gz'), labels);
    const manifest = (axes: unknown) =>
      fs.writeFileSync(
        path.join(dir, 'dataset.json'),
        JSON.stringify({ pairs: [{ image: 'image.nii.gz', labels: 'labels.nii.gz', axes }] }),
      );
    manifest([2]);
    assert.equal((await loadDatasetSource(dir)).source.taskCount, 1);
    manifest([0, 2]);
    assert.equal((await loadDatasetSource(dir)).source.taskCount, 2);
    manifest([3]);
    await assert.rejects(loadDatasetSource(dir), /"axes" of .*labels\.nii\.gz must be a non-empty list of 0, 1 and 2/);
  });

  it('cuts about half the sets to a window around their support labels, as propagation does, the rest whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-window-'));
    // A small ball in a large slice: 7 of 96 pixels across whole, at least a fifth of a window around it.
    const labels = ball([96, 96, 12], 3.5, 1);
    await writeLabelVolume(path.join(dir, 'image.nii.gz'), { ...labels, data: labels.data.map((v) => (v ? 200 : 40)) });
    await writeLabelVolume(path.join(dir, 'labels.nii.gz'), labels);
    fs.writeFileSync(
      path.join(dir, 'dataset.json'),
      JSON.stringify({ pairs: [{ image: 'image.nii.gz', labels: 'labels.nii.gz', axes: [2] }] }),
    );
    const { source } = await loadDatasetSource(dir);
    const rng = new Random(7);
    const fractions = Array.from({ length: 60 }, () => {
      const set = source.sampleSet(rng, 32, 2);
      return set.support.map((e) => e.label.reduce((a, b) => a + b, 0) / e.label.length);
    });
    const whole = fractions.filter((f) => f.every((v) => v < 0.01)).length;
    const windowed = fractions.filter((f) => f.every((v) => v > 0.02)).length;
    assert.equal(whole + windowed, 60, 'a set is cut as a whole: all its examples in one window, or none');
    assert.ok(whole > 15 && windowed > 15, `${whole} whole, ${windowed} windowed`);
  });

  it('carries propagation-like examples onto their query when asked: their labels then overlap the query label more', async () => {
    // A disk sliding 1 px a slice along x: a slice 5 away shows it 5 px off, as a gyrus moves between slices.
    const size: [number, number, number] = [48, 40, 24];
    const labels: LabelVolume = { ...ball(size, 0, 0), data: new Uint8Array(size[0] * size[1] * size[2]) };
    for (let z = 0; z < size[2]; z++)
      for (let y = 0; y < size[1]; y++)
        for (let x = 0; x < size[0]; x++) if ((x - 12 - z) ** 2 + (y - 20) ** 2 <= 49) labels.data[(z * size[1] + y) * size[0] + x] = 1;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-carried-'));
    await writeLabelVolume(path.join(dir, 'image.nii.gz'), { ...labels, data: labels.data.map((v) => (v ? 200 : 40)) });
    await writeLabelVolume(path.join(dir, 'labels.nii.gz'), labels);
    fs.writeFileSync(
      path.join(dir, 'dataset.json'),
      JSON.stringify({ pairs: [{ image: 'image.nii.gz', labels: 'labels.nii.gz', axes: [2] }] }),
    );
    const [inPlace, carried] = await Promise.all([loadDatasetSource(dir), loadDatasetSource(dir, { carriedSupport: 1 })]);
    const dice = (a: Float32Array, b: Float32Array) => {
      let [inter, sum] = [0, 0];
      for (let i = 0; i < a.length; i++) [inter, sum] = [inter + a[i]! * b[i]!, sum + a[i]! + b[i]!];
      return (2 * inter) / sum;
    };
    const overlap = (set: ReturnType<typeof inPlace.source.sampleSet>) =>
      set.support.reduce((sum, e) => sum + dice(e.label, set.queryLabel), 0) / set.support.length;
    let [moved, gained] = [0, 0];
    for (let seed = 0; seed < 30; seed++) {
      const [a, b] = [inPlace.source.sampleSet(new Random(seed), 32, 4), carried.source.sampleSet(new Random(seed), 32, 4)];
      assert.deepEqual(b.query, a.query, 'the same draw up to the support');
      if (!a.aligned) {
        assert.deepEqual(b.support, a.support, 'sets of random slices are never carried');
        continue;
      }
      if (overlap(a) > 0.97) continue;
      moved++;
      if (overlap(b) > overlap(a) + 0.05) gained++;
    }
    assert.ok(moved >= 8 && gained === moved, `${gained} of ${moved} propagation-like sets gained overlap once carried`);
  });

  it('finds the labels lying mostly inside a held-out region', () => {
    const labels = ball([10, 10, 10], 4, 1);
    const heldOut = ball([10, 10, 10], 3, 5);
    assert.deepEqual(labelsInside(labels, heldOut, new Set([5]), 0.5), [], 'a radius-3 ball holds less than half of a radius-4 ball');
    assert.deepEqual(labelsInside(labels, ball([10, 10, 10], 3.8, 5), new Set([5]), 0.5), [1]);
    assert.deepEqual(labelsInside(labels, ball([10, 10, 10], 3.8, 5), new Set([6]), 0.5), [], 'only the listed held-out values count');
  });
});
