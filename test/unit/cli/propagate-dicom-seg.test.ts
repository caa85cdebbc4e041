import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { writeDicomSeg } from '../../../core/data/write-dicom-seg.js';
import { seriesWithTwoLabels } from '../data/dicom-seg-fixture.js';
import { SERIES_DIR } from '../data/io-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MODEL = path.join(ROOT, 'test/fixtures/workflow/tiny-model.safetensors');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'propagate-seg-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('universeg propagate with a DICOM SEG as the partial labels', () => {
  it('places the SEG on the series grid, keeps its labelled slices and predicts the others', async (t) => {
    const { files, labels } = await seriesWithTwoLabels();
    const labelled = [3, 12];
    const partial = { ...labels, data: new Uint8Array(labels.data.length) };
    const plane = labels.size[0] * labels.size[1];
    for (const k of labelled) partial.data.set(labels.data.subarray(k * plane, (k + 1) * plane), k * plane);
    const seg = path.join(tmp, 'partial.dcm');
    // dcmqi reports every frame on stdout and warnings on stderr.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    await writeDicomSeg(seg, partial, files);
    const out = path.join(tmp, 'out.nii.gz');
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/universeg.js'), 'propagate', SERIES_DIR, '--labels', seg, '--out', out, '--model', MODEL, '--json'],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const result = await readLabelVolume(out);
    assert.deepEqual(result.size, labels.size);
    for (const k of labelled) assert.deepEqual(extractSlice(result, 2, k).data, extractSlice(partial, 2, k).data, `slice ${k}`);
    assert.deepEqual(JSON.parse(run.stdout).labelledSlices, labelled);
  });
});
