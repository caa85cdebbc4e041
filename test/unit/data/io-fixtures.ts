import path from 'node:path';
import { FIXTURES } from '../../helpers/fixtures.js';

export const IO = path.join(FIXTURES, 'io');
export const SERIES_DIR = path.join(IO, 'dicom_series_mr');

/**
 * A little-endian NIfTI-1 file (header + 4 pad bytes + voxels), for shapes no real fixture has: 4D, vector,
 * huge headers, float labels.
 */
export function niftiBytes(dims: number[], datatype: number, bitpix: number, voxels: Uint8Array, intent = 0): Uint8Array {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [dims.length, ...dims, ...new Array(7 - dims.length).fill(1)].forEach((d, i) => header.setInt16(40 + 2 * i, d, true));
  header.setInt16(68, intent, true);
  header.setInt16(70, datatype, true);
  header.setInt16(72, bitpix, true);
  for (let i = 0; i < 8; i++) header.setFloat32(76 + 4 * i, 1, true);
  header.setFloat32(108, 352, true);
  header.setFloat32(112, 1, true); // scl_slope
  header.setInt16(252, 1, true); // qform_code: scanner
  new Uint8Array(header.buffer).set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  const out = new Uint8Array(352 + voxels.length);
  out.set(new Uint8Array(header.buffer));
  out.set(voxels, 352);
  return out;
}

export const float32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
