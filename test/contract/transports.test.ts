import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiReply, LabelSlice, Slice, Study, VolumeInfo } from '../../core/contract/index.js';
import { readVolume } from '../../core/data/read-volume.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

/**
 * The same call over IPC and over HTTP; asserts both give one and the same reply and returns it. Each host saves
 * its projects on its own clock: the time of the last save may differ.
 */
async function both(method: string, params: unknown): Promise<ApiReply> {
  const viaIpc = await h.ipc(method, params);
  const viaHttp = (await h.http(method, params)).reply;
  const timeless = (reply: ApiReply) =>
    reply.ok && reply.value && typeof reply.value === 'object' && 'savedAt' in reply.value
      ? { ...reply, value: { ...reply.value, savedAt: null } }
      : reply;
  assert.deepEqual(timeless(viaHttp), timeless(viaIpc), `${method} differs between IPC and HTTP`);
  return viaIpc;
}

function value<T>(reply: ApiReply): T {
  assert.ok(reply.ok, `expected success, got ${JSON.stringify(reply)}`);
  return reply.value as T;
}

describe('the same calls give the same results over IPC and HTTP', () => {
  let volume: Study;
  let info: VolumeInfo;

  test('health: same engine; only the served folder is confined', async () => {
    const ipc = value<{ ok: true; root: string | null; apiVersion: number }>(await h.ipc('health', {}));
    const http = value<{ ok: true; root: string | null; apiVersion: number }>((await h.http('health', {})).reply);
    assert.deepEqual({ ...http, root: null }, ipc);
    assert.equal(http.root, h.root);
  });

  test('openStudy lists a volume, a DICOM series and a 2D stack', async () => {
    volume = value<Study>(await both('openStudy', { path: 'anatomical.nii' }));
    assert.deepEqual(
      volume.items.map((i) => [i.kind, i.name, i.size]),
      [['volume', 'anatomical.nii', [33, 41, 25]]],
    );
    const dicom = value<Study>(await both('openStudy', { path: 'dicom_mr' }));
    assert.deepEqual(
      dicom.items.map((i) => [i.kind, i.fileCount, i.modality]),
      [['dicom-series', 5, 'MR']],
    );
    const stack = value<Study>(await both('openStudy', { path: 'stack2d' }));
    assert.deepEqual(
      stack.items.map((i) => i.kind),
      ['image2d', 'image2d', 'image2d'],
    );
  });

  test('getVolumeInfo: geometry and robust intensity range', async () => {
    info = value<VolumeInfo>(await both('getVolumeInfo', { studyId: volume.id, itemId: volume.items[0]!.id }));
    assert.deepEqual(info.size, [33, 41, 25]);
    assert.deepEqual(info.spacing, [2, 2, 2]);
    assert.ok(
      info.intensity.min <= info.intensity.p1 && info.intensity.p1 < info.intensity.p99 && info.intensity.p99 <= info.intensity.max,
    );
    assert.equal(info.labels, null);
  });

  test('getSlice along each axis holds the voxels of the volume', async () => {
    const grey = await readVolume(path.join(h.root, 'anatomical.nii'));
    const at = (i: number, j: number, k: number) => grey.data[(k * 41 + j) * 33 + i];
    const ref = { studyId: volume.id, itemId: volume.items[0]!.id };
    const axial = value<Slice>(await both('getSlice', { ...ref, axis: 2, index: 12 }));
    assert.ok(axial.data instanceof Float32Array);
    assert.deepEqual([axial.width, axial.height], [33, 41]);
    assert.equal(axial.data[20 * 33 + 16], at(16, 20, 12));
    const coronal = value<Slice>(await both('getSlice', { ...ref, axis: 1, index: 20 }));
    assert.deepEqual([coronal.width, coronal.height], [33, 25]);
    assert.equal(coronal.data[12 * 33 + 16], at(16, 20, 12));
    const sagittal = value<Slice>(await both('getSlice', { ...ref, axis: 0, index: 16 }));
    assert.deepEqual([sagittal.width, sagittal.height], [41, 25]);
    assert.equal(sagittal.data[12 * 41 + 20], at(16, 20, 12));
    assert.notEqual(at(16, 20, 12), at(15, 20, 12), 'the probe voxel must differ from its neighbour for this test to mean anything');
  });

  test('labels: none until loaded, then uint8 slices on the same grid', async () => {
    const ref = { studyId: volume.id, itemId: volume.items[0]!.id };
    assert.equal(value(await both('getLabelSlice', { ...ref, axis: 2, index: 12 })), null);
    const labels = value<{ labels: { value: number; voxels: number }[] }>(
      await both('loadLabels', { ...ref, path: 'anatomical_labels.nii.gz' }),
    );
    assert.deepEqual(
      labels.labels.map((l) => l.value),
      [1, 2],
    );
    const slice = value<LabelSlice>(await both('getLabelSlice', { ...ref, axis: 2, index: 12 }));
    assert.ok(slice.data instanceof Uint8Array);
    assert.deepEqual([slice.width, slice.height], [33, 41]);
    // The fixture's labels are thresholds of the image: bright voxels are label 1.
    const grey = value<Slice>(await both('getSlice', { ...ref, axis: 2, index: 12 }));
    grey.data.forEach((v, n) => assert.equal(slice.data[n], v > 8000 ? 1 : v >= 3000 ? 2 : 0));
    const withLabels = value<VolumeInfo>(await both('getVolumeInfo', ref));
    assert.equal(withLabels.labels?.labels.length, 2);
  });

  test('a label map on another grid is refused, naming the file and both grids', async () => {
    const ref = { studyId: volume.id, itemId: volume.items[0]!.id };
    const reply = await both('loadLabels', { ...ref, path: 'ankle_ct_labels.nii.gz' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'bad-request');
    assert.match(reply.error.message, /ankle_ct_labels\.nii\.gz: does not lie on the image's voxel grid \(size 512x512x1 vs 33x41x25\)/);
  });

  test('painting a slice, saving the map, loading it back', async () => {
    const dicom = value<Study>(await both('openStudy', { path: 'dicom_mr' }));
    const ref = { studyId: dicom.id, itemId: dicom.items[0]!.id };
    const data = new Uint8Array(256 * 256);
    data.fill(3, 256 * 100 + 50, 256 * 100 + 150); // 100 voxels of label 3 on row 100
    const info = value<{ path: string | null; labels: { value: number; voxels: number }[]; painted: number[] }>(
      await both('setLabelSlice', { ...ref, axis: 2, index: 1, slice: { width: 256, height: 256, data } }),
    );
    assert.deepEqual([info.path, info.labels, info.painted], [null, [{ value: 3, voxels: 100 }], [1]]);
    assert.deepEqual(value<LabelSlice>(await both('getLabelSlice', { ...ref, axis: 2, index: 1 })).data, data);
    // Painting over the same slice replaces it: counts follow.
    const cleared = value<{ labels: unknown[] }>(
      await both('setLabelSlice', { ...ref, axis: 2, index: 1, slice: { width: 256, height: 256, data: new Uint8Array(256 * 256) } }),
    );
    assert.deepEqual(cleared.labels, []);
    await both('setLabelSlice', { ...ref, axis: 2, index: 1, slice: { width: 256, height: 256, data } });

    const saved = value<{ path: string }>(await both('exportLabels', { ...ref, path: 'painted.nii.gz' }));
    assert.equal(saved.path, path.join(h.root, 'painted.nii.gz'));
    const reopened = value<Study>(await both('openStudy', { path: 'dicom_mr' }));
    const again = { studyId: reopened.id, itemId: reopened.items[0]!.id };
    const loaded = value<{ labels: unknown[] }>(await both('loadLabels', { ...again, path: 'painted.nii.gz' }));
    assert.deepEqual(loaded.labels, [{ value: 3, voxels: 100 }]);
    assert.deepEqual(value<LabelSlice>(await both('getLabelSlice', { ...again, axis: 2, index: 1 })).data, data);
  });

  test('a painted slice of the wrong size is refused', async () => {
    const reply = await both('setLabelSlice', {
      studyId: 's1',
      itemId: 'anatomical.nii',
      axis: 2,
      index: 0,
      slice: { width: 2, height: 2, data: new Uint8Array(4) },
    });
    assert.ok(!reply.ok);
    assert.equal(reply.error.message, 'label slice is 2x2 with 4 values; axis 2 needs 33x41');
  });

  test('exporting labels over the image they belong to is refused', async () => {
    const reply = await both('exportLabels', { studyId: 's1', itemId: 'anatomical.nii', path: 'anatomical.nii' });
    assert.ok(!reply.ok);
    assert.match(reply.error.message, /anatomical\.nii is an image of this study: export elsewhere/);
    assert.equal(readFileSync(path.join(h.root, 'anatomical.nii')).length, 68002, 'the image is untouched');
  });

  test('listDirectory and recentStudies', async () => {
    const listing = value<{ entries: { name: string; kind: string }[]; parent: string | null }>(
      await h.http('listDirectory', {}).then((r) => r.reply),
    );
    assert.deepEqual(
      listing.entries.filter((e) => e.kind === 'dir').map((e) => e.name),
      ['dicom_mr', 'stack2d'],
      'folders first; the symlink leading out of the root is not listed',
    );
    assert.equal(listing.parent, null, 'nothing above the root');
    // Each host keeps its own list (opening times differ by milliseconds); both hold the same studies in order.
    for (const reply of [await h.ipc('recentStudies', {}), (await h.http('recentStudies', {})).reply]) {
      assert.deepEqual(
        value<{ name: string }[]>(reply).map((r) => r.name),
        ['dicom_mr', 'stack2d', 'anatomical.nii'],
      );
    }
  });
});

describe('bad arguments are rejected with clear messages, the same way over both', () => {
  const cases: [string, unknown, RegExp][] = [
    ['getSlice', { studyId: 's1', itemId: 'anatomical.nii', axis: 3, index: 0 }, /^getSlice: axis: expected one of 0, 1, 2$/],
    ['getSlice', { studyId: 's1', itemId: 'anatomical.nii', axis: 2, index: 1.5 }, /^getSlice: index: expected int, received number$/],
    ['getSlice', { studyId: 's1', itemId: 'anatomical.nii', axis: 2 }, /^getSlice: index: expected number, received undefined$/],
    [
      'getSlice',
      { studyId: 's1', itemId: 'anatomical.nii', axis: 2, index: 25 },
      /^slice 25 does not exist: axis 2 has 25 slices \(0\.\.24\)$/,
    ],
    ['getSlice', { studyId: 's99', itemId: 'x', axis: 2, index: 0 }, /^no open study "s99"/],
    ['openStudy', { path: '' }, /^openStudy: path: path must not be empty$/],
    ['openStudy', { path: 'anatomical.nii', mode: 'rw' }, /^openStudy: unknown parameter "mode"$/],
    ['openStudy', 'anatomical.nii', /^openStudy: expected object, received string$/],
    ['openStudy', { path: 'no-such-folder' }, /^no such file or folder: no-such-folder$/],
    ['formatDisk', {}, /^unknown method "formatDisk"$/],
  ];
  for (const [method, params, message] of cases) {
    test(`${method} ${JSON.stringify(params)}`, async () => {
      const reply = await both(method, params);
      assert.ok(!reply.ok);
      assert.match(reply.error.message, message);
    });
  }

  test('HTTP statuses follow the error codes', async () => {
    assert.equal((await h.http('getSlice', { studyId: 's1', itemId: 'x', axis: 7, index: 0 })).status, 400);
    assert.equal((await h.http('formatDisk', {})).status, 404);
    assert.equal((await h.http('openStudy', { path: 'no-such-folder' })).status, 404);
  });

  test('a body that is not JSON is refused', async () => {
    const response = await fetch(`http://127.0.0.1:${h.server.port}/api/openStudy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.server.token}`, 'Content-Type': 'application/json' },
      body: '{"path": ',
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: { code: 'bad-request', message: 'openStudy: body is not valid JSON' } });
  });

  test('IPC from a page that is not ours is refused', async () => {
    const reply = await h.ipc('health', {}, 'https://example.com/');
    assert.deepEqual(reply, { ok: false, error: { code: 'forbidden', message: 'calls from https://example.com/ are not accepted' } });
  });
});

describe('files dropped in a browser are uploaded', () => {
  test('uploadStudy stores the bytes and opens them like the original', async () => {
    const data = new Uint8Array(readFileSync(path.join(h.root, 'anatomical.nii')));
    const uploaded = value<Study>((await h.http('uploadStudy', { name: 'dropped', files: [{ path: 'dropped.nii', data }] })).reply);
    assert.deepEqual(
      uploaded.items.map((i) => [i.kind, i.size]),
      [['volume', [33, 41, 25]]],
    );
    const slice = value<Slice>(
      (await h.http('getSlice', { studyId: uploaded.id, itemId: uploaded.items[0]!.id, axis: 2, index: 12 })).reply,
    );
    const original = value<Study>((await h.http('openStudy', { path: 'anatomical.nii' })).reply);
    const expected = value<Slice>(
      (await h.http('getSlice', { studyId: original.id, itemId: original.items[0]!.id, axis: 2, index: 12 })).reply,
    );
    assert.deepEqual(slice, expected);
  });

  test('names that climb out of the upload folder are refused', async () => {
    const { status, reply } = await h.http('uploadStudy', { name: 'x', files: [{ path: '../../evil.nii', data: new Uint8Array(4) }] });
    assert.equal(status, 400);
    assert.ok(!reply.ok);
    assert.match(reply.error.message, /"\.\.\/\.\.\/evil\.nii" is not a plain relative path/);
  });
});
