import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpegWriteImageNode, pngReadImageNode, pngWriteImageNode, tiffWriteImageNode } from '@itk-wasm/image-io';
import { readVolume } from '../../../core/data/index.js';
import { float32Bytes, IO, niftiBytes } from './io-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'read-volume-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const scratch = (name: string, bytes: Uint8Array) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
};

describe('readVolume on real files', () => {
  it('reads big-endian NIfTI voxels and header geometry exactly', async () => {
    const file = path.join(IO, 'nifti', 'anatomical.nii');
    const bytes = fs.readFileSync(file);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.equal(view.getInt32(0, false), 348, 'fixture is big-endian');
    const dims = [1, 2, 3].map((i) => view.getInt16(40 + 2 * i, false));
    const pixdim = [1, 2, 3].map((i) => view.getFloat32(76 + 4 * i, false));
    const offset = view.getFloat32(108, false);
    const vol = await readVolume(file);
    assert.deepEqual(vol.size, dims);
    assert.deepEqual(vol.spacing, pixdim);
    assert.equal(vol.dimension, 3);
    for (let i = 0; i < vol.data.length; i++) {
      if (vol.data[i] !== view.getInt16(offset + 2 * i, false))
        assert.fail(`voxel ${i}: ${vol.data[i]} vs ${view.getInt16(offset + 2 * i, false)}`);
    }
  });

  it('keeps the oblique geometry of a single-slice NIfTI and calls it 2D', async () => {
    const vol = await readVolume(path.join(IO, 'nifti', 'adi_slice.nii'));
    assert.deepEqual(vol.size, [192, 192, 1]);
    assert.equal(vol.dimension, 2);
    assert.ok(Math.abs(vol.spacing[0] - 1.1458333) < 1e-6);
    assert.ok(Math.abs(vol.origin[0] - 44.638687) < 1e-4);
    // The direction matrix stays orthonormal: columns have unit length.
    for (let c = 0; c < 3; c++) {
      const norm = Math.hypot(vol.direction[c], vol.direction[3 + c], vol.direction[6 + c]);
      assert.ok(Math.abs(norm - 1) < 1e-5);
    }
    assert.notEqual(vol.direction[0], 1);
  });

  it('reads a MetaImage header with its separate .raw file', async () => {
    const vol = await readVolume(path.join(IO, 'mhd', 'fixed.mhd'));
    const raw = fs.readFileSync(path.join(IO, 'mhd', 'fixed.raw'));
    assert.deepEqual(vol.size, [256, 256, 1]);
    assert.equal(vol.dimension, 2);
    for (const i of [0, 1000, 32896, 65535]) assert.equal(vol.data[i], raw.readInt16LE(2 * i));
  });

  it('turns an RGB PNG into luminance and a 16-bit PNG into its full range', async () => {
    const file = path.join(IO, 'png', 'BrainProtonDensitySlice.png');
    const { image } = await pngReadImageNode(file);
    assert.equal(image.imageType.pixelType, 'RGB', 'fixture is stored as RGB');
    const rgb = image.data as Uint8Array;
    const vol = await readVolume(file);
    assert.deepEqual(vol.size, [181, 217, 1]);
    for (let i = 0; i < vol.data.length; i += 97) {
      const y = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
      assert.ok(Math.abs(vol.data[i] - y) < 1e-3, `pixel ${i}`);
    }
    const grey16 = Uint16Array.from(vol.data, (v) => Math.round(v) * 257);
    const file16 = path.join(tmp, 'grey16.png');
    await pngWriteImageNode(
      { ...image, imageType: { dimension: 2, componentType: 'uint16', pixelType: 'Scalar', components: 1 }, data: grey16 },
      file16,
    );
    const vol16 = await readVolume(file16);
    assert.deepEqual(Array.from(vol16.data), Array.from(grey16));
  });

  it('reads a detached NRRD header (.nhdr) with its raw data file, and TIFF and JPEG', async () => {
    const raw = fs.readFileSync(path.join(IO, 'mhd', 'fixed.raw'));
    fs.writeFileSync(path.join(tmp, 'fixed-copy.raw'), raw);
    const nhdr = scratch(
      'fixed.nhdr',
      new TextEncoder().encode(
        'NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 256 128 2\n' +
          'space directions: (0.5,0,0) (0,0.5,0) (0,0,3)\nkinds: domain domain domain\nendian: little\nencoding: raw\n' +
          'space origin: (10,20,30)\ndata file: fixed-copy.raw\n',
      ),
    );
    const vol = await readVolume(nhdr);
    assert.deepEqual([vol.size, vol.spacing, vol.origin, vol.dimension], [[256, 128, 2], [0.5, 0.5, 3], [10, 20, 30], 3]);
    for (const i of [0, 777, 65535]) assert.equal(vol.data[i], raw.readInt16LE(2 * i));

    const { image } = await pngReadImageNode(path.join(IO, 'png', 'VentricleModel.png'));
    const grey = {
      ...image,
      imageType: { ...image.imageType, pixelType: 'Scalar' as const, components: 1 },
      data: (image.data as Uint8Array).filter((_, i) => i % 3 === 0),
    };
    await tiffWriteImageNode(grey, path.join(tmp, 'v.tif'));
    await jpegWriteImageNode(grey, path.join(tmp, 'v.jpg'));
    const tif = await readVolume(path.join(tmp, 'v.tif'));
    assert.deepEqual(Array.from(tif.data), Array.from(grey.data));
    const jpg = await readVolume(path.join(tmp, 'v.jpg'));
    assert.deepEqual(jpg.size, [181, 217, 1]);
    const meanError = jpg.data.reduce((sum, v, i) => sum + Math.abs(v - grey.data[i]), 0) / jpg.data.length;
    assert.ok(meanError < 5, `JPEG is lossy but close: mean error ${meanError}`);
  });

  it('reads compressed DICOM slices with their modality (JPEG lossless MR, JPEG 2000 CT, implicit VR CT)', async () => {
    const mr = await readVolume(path.join(IO, 'dicom_single', 'mi2b2.dcm'));
    assert.equal(mr.modality, 'MR');
    assert.deepEqual(mr.size, [256, 256, 1]);
    assert.deepEqual(mr.spacing.slice(0, 2), [0.8594, 0.8594]);
    assert.equal(mr.dimension, 2);
    const ct = await readVolume(path.join(IO, 'dicom_single', 'MELANIX.dcm'));
    assert.equal(ct.modality, 'CT');
    const lowest = ct.data.reduce((a, b) => Math.min(a, b));
    assert.equal(lowest, -1024, 'rescaled to Hounsfield units: air is -1024');
    const ankle = await readVolume(path.join(IO, 'dicom_single', 'CT-MONO2-16-ankle.dcm'));
    assert.equal(ankle.modality, 'CT');
    assert.deepEqual(ankle.size, [512, 512, 1]);
  });
});

describe('readVolume on bad input', () => {
  it('refuses 4D and vector NIfTI with the reason, converts RGB NIfTI', async () => {
    const four = scratch('4d.nii', niftiBytes([4, 3, 2, 2], 16, 32, float32Bytes(new Array(48).fill(1))));
    await assert.rejects(readVolume(four), (e: Error) => e.message.startsWith(`${four}: 4D image`));
    const vector = scratch('vector.nii', niftiBytes([4, 3, 2, 1, 2], 16, 32, float32Bytes(new Array(48).fill(1)), 1007));
    await assert.rejects(readVolume(vector), /vector\.nii: vector image \(2 components per voxel\)/);
    const rgb = scratch('rgb.nii', niftiBytes([2, 1, 1], 128, 24, new Uint8Array([100, 0, 0, 0, 0, 100])));
    const vol = await readVolume(rgb);
    assert.ok(Math.abs(vol.data[0] - 29.9) < 1e-4 && Math.abs(vol.data[1] - 11.4) < 1e-4);
  });

  it('names the file and the problem for missing files, folders, non-images and truncated data', async () => {
    await assert.rejects(readVolume(path.join(tmp, 'nope.nii')), /nope\.nii: no such file or folder/);
    await assert.rejects(readVolume(tmp), /is a folder, not an image file/);
    await assert.rejects(readVolume(scratch('notes.txt', new TextEncoder().encode('hello'))), /notes\.txt: not a recognised image format/);
    const anatomical = fs.readFileSync(path.join(IO, 'nifti', 'anatomical.nii'));
    await assert.rejects(
      readVolume(scratch('short.nii', anatomical.subarray(0, 5000))),
      /short\.nii: truncated: the header promises 67650 bytes of voxels, only 4648 are there/,
    );
  });

  it('refuses images over the voxel limit from the header alone', async () => {
    // 4096^3 uint8 voxels = 64 Gi, declared by a header with no data behind it.
    const huge = scratch('huge.nii', niftiBytes([4096, 4096, 4096], 2, 8, new Uint8Array(0)));
    await assert.rejects(readVolume(huge), /huge\.nii: image of 4096x4096x4096 = 68719476736 voxels exceeds the limit of 536870912 voxels/);
    await assert.rejects(readVolume(path.join(IO, 'nifti', 'anatomical.nii'), { maxVoxels: 1000 }), /exceeds the limit of 1000 voxels/);
  });

  it('wraps the bare number itk-wasm throws for undecodable pixel data into a message', async (t) => {
    const dicom = Buffer.from(fs.readFileSync(path.join(IO, 'dicom_single', 'MELANIX.dcm')));
    const pixels = dicom.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
    dicom.fill(0xff, pixels + 60, pixels + 2000); // breaks the JPEG 2000 codestream, not the DICOM structure
    const file = scratch('broken-j2k.dcm', dicom);
    // itk-wasm prints its own diagnostics; keep the test output readable.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    await assert.rejects(readVolume(file), (e: Error) => {
      assert.match(e.message, /broken-j2k\.dcm: the ITK reader\/writer failed \(itk-wasm exception \d+\)/);
      return true;
    });
  });
});
