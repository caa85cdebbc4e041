import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { readStudyItem, readVolume, scanStudy, writePngMask, type ScanStudyResult } from '../../../core/data/index.js';
import { float32Bytes, IO, niftiBytes, SERIES_DIR } from './io-fixtures.js';

const study = fs.mkdtempSync(path.join(os.tmpdir(), 'study-'));
after(() => fs.rmSync(study, { recursive: true, force: true }));
const at = (...parts: string[]) => path.join(study, ...parts);
const put = (name: string, bytes: Uint8Array | string) => {
  fs.mkdirSync(path.dirname(at(name)), { recursive: true });
  fs.writeFileSync(at(name), bytes);
};
const series = fs
  .readdirSync(SERIES_DIR)
  .sort()
  .map((f) => path.join(SERIES_DIR, f));
let scan: ScanStudyResult;

// A study folder as users bring them: good images of every kind next to everything that can go wrong.
before(async () => {
  for (const f of series.slice(0, 4)) put(`mr/series/${path.basename(f)}`, fs.readFileSync(f));
  put('mr/series/brain_005_copy.dcm', fs.readFileSync(series[3])); // same instance twice
  put('mr/series/brain_006_truncated.dcm', fs.readFileSync(series[5]).subarray(0, 90000));
  put('mr/localizer.dcm', fs.readFileSync(path.join(IO, 'dicom_single', 'mi2b2.dcm')));
  put('mr/no_extension_dicom', fs.readFileSync(path.join(IO, 'dicom_single', 'CT-MONO2-16-ankle.dcm')));
  put('mr/trailing_zeros.dcm', Buffer.concat([fs.readFileSync(series[6]), Buffer.alloc(65536)]));
  const anatomical = fs.readFileSync(path.join(IO, 'nifti', 'anatomical.nii'));
  put('nifti/anatomical.nii', anatomical);
  const gz = zlib.gzipSync(anatomical);
  put('nifti/anatomical.nii.gz', gz);
  put('nifti/truncated.nii.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  put('nifti/timeseries.nii', niftiBytes([4, 3, 2, 5], 16, 32, float32Bytes(new Array(120).fill(0))));
  put('nifti/empty.nii', new Uint8Array(0));
  put('mhd/fixed.mhd', fs.readFileSync(path.join(IO, 'mhd', 'fixed.mhd')));
  put('mhd/fixed.raw', fs.readFileSync(path.join(IO, 'mhd', 'fixed.raw')));
  put(
    'mhd/orphan.mhd',
    fs
      .readFileSync(path.join(IO, 'mhd', 'fixed.mhd'))
      .toString()
      .replace('fixed.raw', 'gone.raw'),
  );
  put('png/rgb.png', fs.readFileSync(path.join(IO, 'png', 'BrainProtonDensitySlice.png')));
  const mask = new Uint8Array(64 * 48).map((_, i) => i % 5);
  await writePngMask(at('png/mask.png'), mask, 64, 48);
  put('png/fake.png', 'this is not a PNG');
  put('notes.txt', 'scan protocol');
  put('.DS_Store', 'hidden');
  fs.symlinkSync(at('does-not-exist.nii'), at('dangling.nii'));
  fs.symlinkSync(study, at('mr/loop'));
  fs.mkdirSync(at('locked'));
  put('locked/inside.png', fs.readFileSync(path.join(IO, 'png', 'VentricleModel.png')));
  fs.chmodSync(at('locked'), 0o000);
  scan = await scanStudy(study);
  fs.chmodSync(at('locked'), 0o755);
});

const problem = (name: string) => scan.problems.find((p) => p.path === at(name))?.reason;
const item = (id: string) => scan.items.find((i) => i.id === id);

describe('scanStudy on a messy study folder', () => {
  it('groups the DICOM series into one item in instance order, leaving out duplicates and broken files', () => {
    const mr = scan.items.find((i) => i.kind === 'dicom-series');
    assert.ok(mr);
    assert.equal(mr.name, 'FSE PD AXIAL OBL');
    assert.equal(mr.modality, 'MR');
    assert.deepEqual(
      mr.paths,
      series.slice(0, 4).map((f) => at('mr/series', path.basename(f))),
    );
    assert.deepEqual(mr.size, [256, 256, 4]);
    assert.match(problem('mr/series/brain_005_copy.dcm')!, /duplicate of .*brain_005\.dcm \(same SOPInstanceUID\)/);
    assert.match(problem('mr/series/brain_006_truncated.dcm')!, /^truncated: element \(7FE0,0010\) needs 131072 bytes/);
    assert.match(problem('mr/trailing_zeros.dcm')!, /65536 bytes of zeros after the end of the data set/);
  });

  it('lists single DICOM images (with or without extension) as 2D items of their own series', () => {
    const singles = scan.items.filter((i) => i.id.startsWith('dicom:') && i.kind === 'image2d');
    assert.deepEqual(singles.map((i) => path.relative(study, i.paths[0])).sort(), ['mr/localizer.dcm', 'mr/no_extension_dicom']);
  });

  it('lists every other readable image once, by relative path', () => {
    assert.deepEqual(item('nifti/anatomical.nii')?.kind, 'volume');
    assert.deepEqual(item('nifti/anatomical.nii.gz')?.size, [33, 41, 25]);
    assert.deepEqual(item('mhd/fixed.mhd')?.kind, 'image2d');
    assert.ok(item('png/rgb.png'));
    assert.deepEqual(item('png/mask.png')?.size, [64, 48, 1]);
    assert.ok(!scan.items.some((i) => i.paths.some((p) => p.includes('.DS_Store'))), 'hidden files are skipped');
    assert.equal(problem('mhd/fixed.raw'), undefined, 'a .raw next to its header is not a problem');
  });

  it('names each bad file with its reason', () => {
    assert.equal(problem('nifti/truncated.nii.gz'), 'truncated or corrupt gzip data (unexpected end of file)');
    assert.match(problem('nifti/timeseries.nii')!, /4D image \(4x3x2x5, 5 time points\) is not supported/);
    assert.equal(problem('nifti/empty.nii'), 'empty file (0 bytes)');
    assert.equal(problem('notes.txt'), 'not a recognised image format');
    assert.equal(problem('png/fake.png'), 'named .png but its content is not a recognised image format');
    assert.match(problem('mhd/orphan.mhd')!, /data file gone\.raw named in the header is missing/);
    assert.match(problem('dangling.nii')!, /dangling symbolic link \(its target .*does-not-exist\.nii does not exist\)/);
    assert.match(problem('mr/loop')!, /links to a folder that is already being scanned/);
  });

  it('reports a folder it cannot read and goes on', (t) => {
    if (process.getuid?.() === 0) {
      t.skip('root reads any folder: permissions cannot make one unreadable here');
      return;
    }
    assert.match(problem('locked')!, /folder cannot be read: permission denied/);
  });

  it('accounts for every file: each is in an item or a problem', () => {
    const listed = new Set([...scan.items.flatMap((i) => i.paths), ...scan.problems.map((p) => p.path), at('mhd/fixed.raw')]);
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => !e.name.startsWith('.') && !(e.isSymbolicLink() && e.name === 'loop'))
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const missing = walk(study).filter((f) => !listed.has(f) && !(process.getuid?.() === 0 ? false : f.startsWith(at('locked'))));
    assert.deepEqual(missing, []);
  });

  it('reads back every listed item', async () => {
    for (const i of scan.items) {
      const vol = await readStudyItem(i);
      assert.deepEqual(vol.size, i.size, i.id);
    }
  });

  it('scans a file given instead of a folder as a study of that file', async () => {
    const one = await scanStudy(at('png', 'rgb.png'));
    assert.deepEqual(
      one.items.map((i) => [i.id, i.kind]),
      [['rgb.png', 'image2d']],
    );
    assert.deepEqual(one.problems, []);
    await assert.rejects(scanStudy(at('nowhere')), /nowhere: no such file or folder/);
    assert.deepEqual((await readVolume(at('png', 'mask.png'))).size, [64, 48, 1]);
  });
});
