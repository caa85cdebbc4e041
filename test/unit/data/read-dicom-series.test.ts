import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readDicomSeries } from '../../../core/data/index.js';
import { parseDicomHeader } from '../../../core/data/dicom-header.js';
import { IO, SERIES_DIR } from './io-fixtures.js';

const files = fs
  .readdirSync(SERIES_DIR)
  .sort()
  .map((f) => path.join(SERIES_DIR, f));
const header = (file: string) => parseDicomHeader(fs.readFileSync(file));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dicom-series-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readDicomSeries', () => {
  it('stacks the 19 oblique MR slices with the geometry of their headers', async () => {
    const t = performance.now();
    const vol = await readDicomSeries(SERIES_DIR);
    const ms = performance.now() - t;
    assert.deepEqual(vol.size, [256, 256, 19]);
    assert.equal(vol.dimension, 3);
    assert.equal(vol.modality, 'MR');
    assert.equal(vol.source, SERIES_DIR);
    assert.deepEqual(vol.spacing.slice(0, 2), [0.859375, 0.859375]);

    // Origin: the first slice's ImagePositionPatient; direction columns: its row and column cosines, then normal.
    const first = header(files[0]),
      last = header(files[files.length - 1]);
    assert.deepEqual(vol.origin, first.imagePosition);
    const [rx, ry, rz, cx, cy, cz] = first.imageOrientation!;
    const d = vol.direction;
    for (const [a, b] of [
      [d[0], rx],
      [d[3], ry],
      [d[6], rz],
      [d[1], cx],
      [d[4], cy],
      [d[7], cz],
    ])
      assert.ok(Math.abs(a - b) < 1e-5);
    // Slice spacing: the last slice sits at origin + 18 * spacing[2] along the normal (to the 0.01 mm the
    // 6-digit orientation cosines allow).
    const normal = [d[2], d[5], d[8]];
    const end = vol.origin.map((o, i) => o + 18 * vol.spacing[2] * normal[i]);
    end.forEach((v, i) => assert.ok(Math.abs(v - last.imagePosition![i]) < 0.01, `axis ${i}: ${v} vs ${last.imagePosition![i]}`));
    assert.ok(Math.abs(vol.spacing[2] - 6.9966) < 1e-3);

    // Voxels of slice k are those of the k-th file's pixel data (16-bit little endian at the end of the file).
    const bytes = fs.readFileSync(files[7]);
    const pixels = bytes.subarray(bytes.length - 256 * 256 * 2);
    for (const i of [0, 12345, 40000]) assert.equal(vol.data[7 * 65536 + i], pixels.readInt16LE(2 * i));
    console.log(`# read 19-slice DICOM series in ${ms.toFixed(0)} ms`);
  });

  it('gives the same volume from a shuffled file list', async () => {
    const a = await readDicomSeries([...files].reverse());
    assert.deepEqual(a.size, [256, 256, 19]);
    const b = await readDicomSeries(files);
    assert.deepEqual(a.origin, b.origin);
    assert.deepEqual(a.data, b.data);
  });

  it('refuses a folder holding two series, or a list with a non-DICOM file', async () => {
    const mixed = path.join(tmp, 'mixed');
    fs.mkdirSync(mixed);
    for (const f of files.slice(0, 3)) fs.copyFileSync(f, path.join(mixed, path.basename(f)));
    fs.copyFileSync(path.join(IO, 'dicom_single', 'mi2b2.dcm'), path.join(mixed, 'other.dcm'));
    await assert.rejects(readDicomSeries(mixed), /mixed: holds 2 DICOM series: "FSE PD AXIAL OBL" \(3 files\), "0-DWI B1000" \(1 files\)/);
    await assert.rejects(readDicomSeries([files[0], path.join(IO, 'nifti', 'anatomical.nii')]), /anatomical\.nii: not a DICOM file/);
    await assert.rejects(readDicomSeries(path.join(IO, 'png')), /png: no readable DICOM images in this folder/);
  });

  it('reads one file as a one-slice 2D image in scanner space', async () => {
    const vol = await readDicomSeries(files[0]);
    assert.deepEqual(vol.size, [256, 256, 1]);
    assert.equal(vol.dimension, 2);
    assert.deepEqual(vol.origin, header(files[0]).imagePosition);
  });
});
