import { writeFileSync } from 'node:fs';

/**
 * A large volume made at run time (a committed 512 x 512 x 300 file would be 150 MB): a head-like ellipsoid with
 * smooth texture, and a label map with two nested structures, written as uncompressed NIfTI-1 so that making it
 * costs no compression time.
 */

type Size = readonly [number, number, number];

/** A single-file NIfTI-1 (.nii) of int16 or uint8 voxels, 1 mm, identity orientation (sform, RAS). */
export function writeNifti(file: string, size: Size, data: Int16Array | Uint8Array): void {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [3, ...size, 1, 1, 1, 1].forEach((d, n) => header.setInt16(40 + 2 * n, d, true));
  const int16 = data instanceof Int16Array;
  header.setInt16(70, int16 ? 4 : 2, true);
  header.setInt16(72, int16 ? 16 : 8, true);
  [1, 1, 1, 1, 0, 0, 0, 0].forEach((p, n) => header.setFloat32(76 + 4 * n, p, true));
  header.setFloat32(108, 352, true);
  header.setFloat32(112, 1, true);
  header.setUint8(123, 2); // millimetres
  header.setInt16(254, 1, true); // sform: scanner coordinates
  [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ].forEach((row, r) => row.forEach((v, c) => header.setFloat32(280 + 16 * r + 4 * c, v, true)));
  'n+1\0'.split('').forEach((ch, n) => header.setUint8(344 + n, ch.charCodeAt(0)));
  writeFileSync(file, Buffer.concat([new Uint8Array(header.buffer), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
}

/** The image and its labels: label 1 an ellipsoid inside the head, label 2 a sphere inside label 1. */
export function syntheticHead(size: Size): { image: Int16Array; labels: Uint8Array } {
  const [nx, ny, nz] = size;
  const image = new Int16Array(nx * ny * nz);
  const labels = new Uint8Array(nx * ny * nz);
  const [cx, cy, cz] = [nx / 2, ny / 2, nz / 2];
  let n = 0;
  for (let k = 0; k < nz; k++) {
    const z = (k - cz) / (0.45 * nz);
    for (let j = 0; j < ny; j++) {
      const y = (j - cy) / (0.45 * ny);
      for (let i = 0; i < nx; i++, n++) {
        const x = (i - cx) / (0.4 * nx);
        const r = x * x + y * y + z * z;
        if (r > 1) continue;
        image[n] = 800 + 400 * Math.sin(i / 9) * Math.cos(j / 7) + 200 * Math.sin(k / 5);
        if (r < 0.3) labels[n] = 1;
        if (r < 0.08) labels[n] = 2;
      }
    }
  }
  return { image, labels };
}
