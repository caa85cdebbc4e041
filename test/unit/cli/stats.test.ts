import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { labelStatistics } from '../../../core/analysis/label-statistics.js';
import { statisticsCsv } from '../../../core/contract/statistics-csv.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const T1 = path.join(ROOT, 'assets/sample/volume/t1.nii.gz');
const LABELS = path.join(ROOT, 'assets/sample/volume/labels-full.nii.gz');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/universeg.js'), 'stats', ...args], { encoding: 'utf8' });

describe('universeg stats', () => {
  it('prints the statistics the engine computes, as CSV, JSON and a table', async () => {
    const expected = labelStatistics(await readVolume(T1), await readLabelVolume(LABELS));
    const csv = cli(T1, LABELS, '--csv');
    assert.equal(csv.status, 0, csv.stderr);
    assert.equal(csv.stdout, statisticsCsv(expected));
    const json = cli(T1, LABELS, '--json');
    assert.deepEqual(
      JSON.parse(json.stdout),
      expected.map(({ color: _c, ...s }) => s),
    );
    const table = cli(T1, LABELS);
    assert.match(table.stdout, /^\s+label\s+name\s+voxels\s+mm³\s+mL/);
    assert.match(table.stdout, /\n\s+17\s+Segment 17\s+7939\s+7939\s+7\.939\s/);
  });

  it('names the file and the problem: another grid or an unreadable file exits 1, a usage mistake 2', () => {
    const other = path.join(ROOT, 'test/fixtures/viewer/anatomical_labels.nii.gz');
    const mismatch = cli(T1, other);
    assert.equal(mismatch.status, 1);
    assert.match(mismatch.stderr, /anatomical_labels\.nii\.gz: not on the voxel grid of .*t1\.nii\.gz \(size 33x41x25 vs 60x88x61\)/);
    assert.doesNotMatch(mismatch.stderr, /\n\s+at /, 'no stack trace');
    const missing = cli(T1, path.join(ROOT, 'no-such-labels.nii.gz'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no-such-labels\.nii\.gz/);
    assert.equal(cli(T1).status, 2);
    assert.equal(cli(T1, LABELS, '--csv', '--json').status, 2);
    assert.equal(cli('--help').status, 0);
  });
});
