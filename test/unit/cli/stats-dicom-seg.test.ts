import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeDicomSeg } from '../../../core/data/write-dicom-seg.js';
import { seriesWithTwoLabels } from '../data/dicom-seg-fixture.js';
import { SERIES_DIR } from '../data/io-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const T1 = path.join(ROOT, 'assets/sample/volume/t1.nii.gz');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/universeg.js'), 'stats', ...args], { encoding: 'utf8' });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stats-seg-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('universeg stats with a DICOM SEG', () => {
  it("reads a SEG of the series as a label map, with its segments' names; a SEG of another image exits 1", async (t) => {
    const { files, labels } = await seriesWithTwoLabels();
    const seg = path.join(tmp, 'seg.dcm');
    // dcmqi reports every frame on stdout and warnings on stderr.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    await writeDicomSeg(seg, labels, files, [{ value: 2, name: 'Grey', color: [64, 200, 80] }]);
    const voxels = [1, 2].map((v) => labels.data.reduce((n, l) => n + (l === v ? 1 : 0), 0));
    const table = cli(SERIES_DIR, seg);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`\\n\\s+1\\s+Segment 1\\s+${voxels[0]}\\s`));
    assert.match(table.stdout, new RegExp(`\\n\\s+2\\s+Grey\\s+${voxels[1]}\\s`));
    // Only the CSV on stdout: dcmqi's progress lines are not.
    const csv = cli(SERIES_DIR, seg, '--csv');
    assert.deepEqual(
      csv.stdout.split('\n').map((line) => line.split(',').slice(0, 3).join(',')),
      ['value,name,voxels', `1,Segment 1,${voxels[0]}`, `2,Grey,${voxels[1]}`, ''],
    );
    const other = cli(T1, seg);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /seg\.dcm: a DICOM SEG of another series or grid: its orientation is not the image's/);
  });
});
