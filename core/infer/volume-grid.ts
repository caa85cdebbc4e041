import type { Volume } from '../data/volume.js';

/** Where a volume's voxels lie: everything of it but its values. */
export type Grid = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>;

/**
 * `volume` averaged over blocks of factor^3 voxels (a partial block at the far edge averages what it holds), with
 * the geometry that keeps each block's centre where its voxels were. Registration runs on these: elastix's own
 * pyramid would smooth the full-resolution image first, which cost more than the registration itself here.
 */
export function reduceVolume(volume: Volume, factor: number): Volume {
  if (factor === 1) return volume;
  const [nx, ny, nz] = volume.size;
  const size = volume.size.map((n) => Math.ceil(n / factor)) as [number, number, number];
  const sum = new Float32Array(size[0] * size[1] * size[2]);
  const count = new Uint16Array(sum.length);
  for (let z = 0, n = 0; z < nz; z++) {
    const rz = Math.floor(z / factor) * size[1];
    for (let y = 0; y < ny; y++) {
      const ry = (rz + Math.floor(y / factor)) * size[0];
      for (let x = 0; x < nx; x++, n++) {
        const r = ry + Math.floor(x / factor);
        sum[r]! += volume.data[n]!;
        count[r]!++;
      }
    }
  }
  for (let r = 0; r < sum.length; r++) sum[r]! /= count[r]!;
  const offset = (factor - 1) / 2;
  const origin = [0, 1, 2].map(
    (r) => volume.origin[r]! + [0, 1, 2].reduce((s, c) => s + volume.direction[r * 3 + c]! * volume.spacing[c]! * offset, 0),
  ) as [number, number, number];
  return { ...volume, size, spacing: volume.spacing.map((s) => s * factor) as [number, number, number], origin, data: sum };
}
