/**
 * Segment statistics and clean-up previews over HTTP: numbers as the engine computes them from the files, a preview
 * that changes nothing until applied as an edit, and every bad argument refused with a 400 that says why.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CleanupPreview, LabelStatistics, Project } from '../../core/contract/index.js';
import { labelStatistics } from '../../core/analysis/label-statistics.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { openAnatomical, startHarness, value, type Harness } from './harness.js';

let h: Harness;
let ref: { studyId: string; itemId: string };
before(async () => {
  h = await startHarness();
  ref = await openAnatomical(h, 'anatomical_labels.nii.gz');
});
after(() => h.close());

const stats = async () => value<{ revision: number; labels: LabelStatistics[] }>((await h.http('labelStatistics', ref)).reply);

describe('labelStatistics and previewCleanup', () => {
  test('statistics of the loaded labels are those of the files', async () => {
    const [image, labels] = await Promise.all([
      readVolume(path.join(h.root, 'anatomical.nii')),
      readLabelVolume(path.join(h.root, 'anatomical_labels.nii.gz')),
    ]);
    const expected = labelStatistics(image, labels).map(({ name: _n, color: _c, ...s }) => s);
    assert.deepEqual(
      (await stats()).labels.map(({ name: _n, color: _c, ...s }) => s),
      expected,
    );
  });

  test('a preview reports the changed slices and changes nothing; applying it slice by slice does', async () => {
    const before = await stats();
    const label = before.labels[0]!.value;
    const preview = value<CleanupPreview>(
      (await h.http('previewCleanup', { ...ref, label, op: { op: 'grow', marginMm: 2 }, scope: { scope: 'volume' } })).reply,
    );
    assert.equal(preview.axis, 2);
    assert.ok(preview.slices.length > 0 && preview.changedVoxels > 0);
    const grown = preview.slices.reduce(
      (c, s) => c + s.after.filter((v) => v === label).length - s.before.filter((v) => v === label).length,
      0,
    );
    assert.equal(grown, preview.changedVoxels, 'growing only adds voxels');
    assert.deepEqual(await stats(), before, 'nothing changed yet');
    for (const s of preview.slices) {
      value<Project>(
        (
          await h.http('setLabelSlice', {
            ...ref,
            axis: preview.axis,
            index: s.index,
            slice: { width: preview.width, height: preview.height, data: s.after },
          })
        ).reply,
      );
    }
    const applied = await stats();
    assert.equal(applied.labels[0]!.voxels, before.labels[0]!.voxels + preview.changedVoxels);
    // Undone as the app undoes an edit: each slice sent back as it was.
    for (const s of preview.slices) {
      value(
        (
          await h.http('setLabelSlice', {
            ...ref,
            axis: preview.axis,
            index: s.index,
            slice: { width: preview.width, height: preview.height, data: s.before },
          })
        ).reply,
      );
    }
    assert.deepEqual((await stats()).labels, before.labels);
  });

  test('one slice in 2D: only that slice changes', async () => {
    const label = (await stats()).labels[0]!;
    // 2 mm voxels: a margin of 2 mm peels one.
    const index = 20;
    const preview = value<CleanupPreview>(
      (
        await h.http('previewCleanup', {
          ...ref,
          label: label.value,
          op: { op: 'shrink', marginMm: 2 },
          scope: { scope: 'slice', axis: 1, index },
        })
      ).reply,
    );
    assert.deepEqual(
      preview.slices.map((s) => s.index),
      [index],
    );
    assert.equal(preview.axis, 1);
    assert.ok(
      preview.changedVoxels > 0 && preview.slices[0]!.after.every((v, n) => v === preview.slices[0]!.before[n] || v === 0),
      'shrinking only removes',
    );
  });

  test('bad arguments are refused with a 400 naming the problem', async () => {
    const label = (await stats()).labels[0]!.value;
    const cases: [unknown, RegExp][] = [
      [{ ...ref, label, op: { op: 'explode' }, scope: { scope: 'volume' } }, /op/],
      [{ ...ref, label, op: { op: 'grow', marginMm: -1 }, scope: { scope: 'volume' } }, /marginMm/],
      [{ ...ref, label, op: { op: 'grow', marginMm: 1, extra: 1 }, scope: { scope: 'volume' } }, /extra/],
      [{ ...ref, label, op: { op: 'median', radius: 1.5 }, scope: { scope: 'volume' } }, /radius/],
      [{ ...ref, label, op: { op: 'logical', operation: 'add', other: label }, scope: { scope: 'volume' } }, /two different labels/],
      [{ ...ref, label, op: { op: 'logical', operation: 'xor', other: 1 }, scope: { scope: 'volume' } }, /operation/],
      [{ ...ref, label: 0, op: { op: 'fill-holes' }, scope: { scope: 'volume' } }, /label/],
      [{ ...ref, label, op: { op: 'fill-holes' }, scope: { scope: 'slice', axis: 2, index: 999 } }, /slice 999 does not exist/],
      [{ ...ref, label, op: { op: 'fill-holes' }, scope: { scope: 'slice', axis: 3, index: 0 } }, /axis/],
      [{ ...ref, label: 200, op: { op: 'fill-holes' }, scope: { scope: 'volume' } }, /label 200 has no voxels/],
      [
        { ...ref, label, op: { op: 'logical', operation: 'add', other: 201 }, scope: { scope: 'volume' } },
        /label 201 has no voxels to add/,
      ],
      [{ ...ref, label, op: { op: 'fill-holes' } }, /scope/],
    ];
    for (const [params, message] of cases) {
      const { status, reply } = await h.http('previewCleanup', params);
      assert.equal(status, 400, JSON.stringify(params));
      assert.ok(!reply.ok && message.test(reply.error.message), `${JSON.stringify(params)}: ${JSON.stringify(reply)}`);
    }
    assert.equal((await h.http('labelStatistics', { ...ref, extra: true })).status, 400);
  });

  test('a locked label is not cleaned up', async () => {
    const project = value<Project>((await h.http('getProject', ref)).reply);
    const [first] = project.segments;
    value(
      (await h.http('setSegments', { ...ref, segments: project.segments.map((s) => (s === first ? { ...s, locked: true } : s)) })).reply,
    );
    const { status, reply } = await h.http('previewCleanup', {
      ...ref,
      label: first!.value,
      op: { op: 'keep-largest' },
      scope: { scope: 'volume' },
    });
    assert.equal(status, 400);
    assert.ok(!reply.ok && /is locked/.test(reply.error.message));
  });
});
