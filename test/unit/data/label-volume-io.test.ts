import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSegmentationNode } from '@itk-wasm/dicom';
import {
  readLabelVolume,
  readVolume,
  writeDicomSeg,
  writeFileAtomic,
  writeLabelVolume,
  writePngMask,
  type LabelVolume,
} from '../../../core/data/index.js';
import { encodeItkImage, readItkImage } from '../../../core/data/itk-io.js';
import { seriesWithTwoLabels } from './dicom-seg-fixture.js';
import { float32Bytes, IO, niftiBytes } from './io-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'label-io-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const BRODMANN = path.join(IO, 'labels', 'brodmann.nii.gz');
let brodmann: LabelVolume;
// Round trips run on a 60x70x50 block of the atlas: real labels, a tenth of the voxels, a faster test.
let block: LabelVolume;
before(async () => {
  brodmann = await readLabelVolume(BRODMANN);
  block = crop(brodmann, [60, 80, 60], [60, 70, 50]);
});

/** A sub-block of a label map, its origin moved so every voxel keeps its physical position. */
function crop(v: LabelVolume, start: number[], size: [number, number, number]): LabelVolume {
  const data = new Uint8Array(size[0] * size[1] * size[2]);
  let p = 0;
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      const from = ((start[2] + k) * v.size[1] + start[1] + j) * v.size[0] + start[0];
      data.set(v.data.subarray(from, from + size[0]), p);
      p += size[0];
    }
  }
  const origin = v.origin.map((o, r) => o + [0, 1, 2].reduce((sum, c) => sum + v.direction[3 * r + c] * v.spacing[c] * start[c], 0));
  return { ...v, data, size, origin: origin as [number, number, number] };
}

const geometry = (v: LabelVolume) => ({
  size: v.size,
  spacing: v.spacing,
  origin: v.origin,
  direction: v.direction,
  dimension: v.dimension,
});

describe('readLabelVolume', () => {
  it('reads the Brodmann atlas as whole numbers on the Colin27 grid', () => {
    assert.deepEqual(brodmann.size, [181, 217, 181]);
    assert.deepEqual(brodmann.origin, [90, 125, -71]);
    const values = new Set(brodmann.data);
    assert.equal(values.size, 42, 'background + 41 areas');
    assert.ok(brodmann.data instanceof Uint8Array);
  });

  it('refuses fractional or out-of-range values, naming the voxel', async () => {
    const fractional = path.join(tmp, 'prob.nii');
    fs.writeFileSync(fractional, niftiBytes([2, 2, 1], 16, 32, float32Bytes([0, 1, 0.5, 1])));
    await assert.rejects(readLabelVolume(fractional), /prob\.nii: label maps hold whole numbers 0\.\.255, found 0\.5 at voxel \(0, 1, 0\)/);
    const big = path.join(tmp, 'big.nii');
    fs.writeFileSync(big, niftiBytes([2, 2, 1], 16, 32, float32Bytes([0, 300, 1, 1])));
    await assert.rejects(readLabelVolume(big), /found 300 at voxel \(1, 0, 0\)/);
    // VentricleModel.png is an indexed PNG (read as its palette indices, as multi-label 2D maps are written); the same
    // picture saved as true RGB is not a label map.
    const rgb = path.join(tmp, 'rgb.png');
    fs.writeFileSync(
      rgb,
      await encodeItkImage(await readItkImage(path.join(IO, 'png', 'VentricleModel.png'), 'png'), 'png', 'rgb.png', true),
    );
    await assert.rejects(readLabelVolume(rgb), /rgb\.png: a label map has one value per voxel, this image has 3 \(RGB\)/);
  });
});

describe('writeLabelVolume', () => {
  for (const ext of ['.nii.gz', '.nii', '.seg.nrrd', '.nrrd', '.mha']) {
    it(`writes ${ext} that reads back voxel-identical with the same geometry`, async () => {
      const file = path.join(tmp, `block${ext}`);
      await writeLabelVolume(file, block);
      const back = await readLabelVolume(file);
      assert.deepEqual(geometry(back), geometry(block));
      assert.ok(Buffer.from(back.data).equals(Buffer.from(block.data)), 'voxels differ');
      assert.ok(new Set(block.data).size > 5, 'the block holds several labels');
      assert.deepEqual(
        fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
        [],
        'no temporary file left behind',
      );
    });
  }

  it('takes the extension in any case (OUT.NII.GZ is a compressed NIfTI)', async () => {
    const file = path.join(tmp, 'BLOCK.NII.GZ');
    await writeLabelVolume(file, block);
    const lower = path.join(tmp, 'block-upper.nii.gz');
    fs.copyFileSync(file, lower);
    assert.ok(Buffer.from((await readLabelVolume(lower)).data).equals(Buffer.from(block.data)), 'voxels differ');
  });

  it('keeps the scanner geometry of a single oblique slice', async () => {
    const slice = await readVolume(path.join(IO, 'nifti', 'adi_slice.nii'));
    const labels: LabelVolume = { ...slice, data: Uint8Array.from(slice.data, (v) => (v > 300 ? 1 : 0)) };
    const file = path.join(tmp, 'slice.nii.gz');
    await writeLabelVolume(file, labels);
    const back = await readLabelVolume(file);
    assert.deepEqual(back.size, [192, 192, 1]);
    back.origin.forEach((o, i) => assert.ok(Math.abs(o - labels.origin[i]) < 1e-4));
    back.direction.forEach((o, i) => assert.ok(Math.abs(o - labels.direction[i]) < 1e-5));
    assert.ok(Buffer.from(back.data).equals(Buffer.from(labels.data)));
  });

  it('writes 3D Slicer segment fields into .seg.nrrd', async () => {
    const file = path.join(tmp, 'named.seg.nrrd');
    const present = [...new Set(block.data)].filter((v) => v > 0).sort((a, b) => a - b);
    const named = present[3];
    await writeLabelVolume(file, block, {
      segments: [
        { value: named, name: 'Named area', color: [255, 0, 0] },
        { value: 250, name: 'Empty', color: [0, 0, 255] },
      ],
    });
    const header = fs.readFileSync(file).toString('latin1').split('\n\n')[0];
    assert.match(header, /^space: left-posterior-superior$/m);
    assert.match(header, /^kinds: domain domain domain$/m);
    const field = (key: string) => new RegExp(`^${key}:=(.*)$`, 'm').exec(header)?.[1];
    // Segments come in label order, so the 4th label present is Segment3; value 250 (no voxels) comes last.
    assert.equal(field('Segment3_Name'), 'Named area');
    assert.equal(field('Segment3_LabelValue'), String(named));
    assert.equal(field('Segment3_Color'), '1.000000 0.000000 0.000000');
    assert.equal(field('Segment3_Layer'), '0');
    assert.equal(field('Segment0_Name'), `Segment ${present[0]}`);
    assert.equal(field(`Segment${present.length}_Name`), 'Empty');
    assert.equal(field(`Segment${present.length}_Extent`), '0 -1 0 -1 0 -1');
    assert.equal(field('Segmentation_MasterRepresentation'), 'Binary labelmap');
    // Extent: the tight index bounding box of the label's voxels.
    const extent = field('Segment3_Extent')!.split(' ').map(Number);
    const box = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
    const [nx, ny] = block.size;
    block.data.forEach((v, p) => {
      if (v !== named) return;
      [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))].forEach((x, a) => {
        box[2 * a] = Math.min(box[2 * a], x);
        box[2 * a + 1] = Math.max(box[2 * a + 1], x);
      });
    });
    assert.deepEqual(extent, box);
  });

  it('refuses to overwrite its input and unknown extensions, leaving files untouched', async () => {
    const copy = path.join(tmp, 'input.nii.gz');
    fs.copyFileSync(BRODMANN, copy);
    const labels = { ...block, source: copy };
    await assert.rejects(writeLabelVolume(copy, labels), /input\.nii\.gz: refusing to overwrite an input/);
    const link = path.join(tmp, 'link.nii.gz');
    fs.symlinkSync(copy, link);
    await assert.rejects(writeLabelVolume(link, labels), /refusing to overwrite an input/);
    assert.ok(fs.readFileSync(copy).equals(fs.readFileSync(BRODMANN)));
    await assert.rejects(writeLabelVolume(path.join(tmp, 'labels.vtk'), block), /labels\.vtk: cannot tell the format from the extension/);
  });
});

describe('writePngMask and writeFileAtomic', () => {
  it('writes a 0/255 PNG that reads back with the same pixels', async () => {
    const mask = new Uint8Array(30 * 20).map((_, i) => (i % 7 === 0 ? 3 : 0));
    const file = path.join(tmp, 'mask.png');
    await writePngMask(file, mask, 30, 20);
    const back = await readVolume(file);
    assert.deepEqual(back.size, [30, 20, 1]);
    assert.deepEqual(
      Array.from(back.data),
      Array.from(mask, (v) => (v ? 255 : 0)),
    );
  });

  it('replaces a file whole and reports a missing folder with the path', async () => {
    const file = path.join(tmp, 'note.txt');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    assert.equal(fs.readFileSync(file, 'utf8'), 'second');
    await assert.rejects(writeFileAtomic(path.join(tmp, 'missing', 'x.txt'), 'x'), /missing\/x\.txt: no such file or folder/);
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});

describe('writeDicomSeg', () => {
  it('writes a DICOM SEG on the source series that reads back with the same labels and geometry', async (t) => {
    const { files, labels } = await seriesWithTwoLabels();
    const file = path.join(tmp, 'seg.dcm');
    // dcmqi reports every slice on stdout and warnings on stderr.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    await writeDicomSeg(file, labels, files, [{ value: 1, name: 'Bright', color: [255, 0, 0] }]);
    const { segImage, metaInfo } = await readSegmentationNode(file);
    assert.deepEqual(segImage.size, labels.size);
    segImage.origin.forEach((o, i) => assert.ok(Math.abs(o - labels.origin[i]) < 1e-3));
    let diff = 0;
    for (let i = 0; i < labels.data.length; i++) if (segImage.data![i] !== labels.data[i]) diff++;
    assert.equal(diff, 0);
    const segments = (metaInfo as { segmentAttributes: { SegmentLabel: string; labelID: number }[][] }).segmentAttributes.flat();
    assert.deepEqual(
      segments.map((s) => [s.labelID, s.SegmentLabel]),
      [
        [1, 'Bright'],
        [2, 'Segment 2'],
      ],
    );
    await assert.rejects(writeDicomSeg(files[0], labels, files), /refusing to overwrite an input/);
    await assert.rejects(writeDicomSeg(file, { ...labels, data: new Uint8Array(labels.data.length) }, files), /the label map is empty/);
  });
});
