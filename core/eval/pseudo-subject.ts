/**
 * Pseudo-subjects made from one brain (Colin27): a smooth random deformation, an affine change, an intensity
 * curve, a bias field and noise, with the label map carried along the same spatial transform. We have one human
 * brain we may use, so batch segmentation is measured across these. They differ from each other less than real
 * subjects do (same folding pattern, same contrast), which favours registration.
 */
import type { LabelVolume, Volume } from '../data/volume.js';
import { Random } from '../util/random.js';

export interface PseudoSubjectOptions {
  /** Largest rotation about each axis, degrees. */
  rotation?: number;
  /** Largest relative change of scale along each axis. */
  scale?: number;
  /** Largest translation along each axis, voxels. */
  translation?: number;
  /** Standard deviation of the smooth displacement at its control points, voxels. */
  deformation?: number;
  /** Control points of the deformation along each axis. */
  controlPoints?: number;
  /** Largest relative gain of the bias field. */
  bias?: number;
  /** Noise standard deviation relative to the image's maximum. */
  noise?: number;
}

/** One pseudo-subject of `image` and `labels` (one grid), drawn by `seed`; seed 0 returns them unchanged. */
export function pseudoSubject(
  image: Volume,
  labels: LabelVolume,
  seed: number,
  options: PseudoSubjectOptions = {},
): { image: Volume; labels: LabelVolume } {
  if (seed === 0) return { image, labels };
  const rng = new Random(seed);
  const uniform = (a: number) => (rng.next() * 2 - 1) * a;
  const [nx, ny, nz] = image.size;
  const centre = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const matrix = affineMatrix(
    [0, 1, 2].map(() => (uniform(options.rotation ?? 6) * Math.PI) / 180),
    [0, 1, 2].map(() => 1 + uniform(options.scale ?? 0.06)),
  );
  const shift = [0, 1, 2].map(() => uniform(options.translation ?? 6));
  const points = options.controlPoints ?? 6;
  const amplitude = options.deformation ?? 3;
  const field = [0, 1, 2].map(() => Float32Array.from({ length: points ** 3 }, () => rng.normal() * amplitude));
  const gamma = Math.exp(uniform(0.25));
  const biasTerms = [0, 1, 2].map(() => uniform(options.bias ?? 0.2));
  const noise = (options.noise ?? 0.02) * image.data.reduce((m, v) => Math.max(m, v), 0);
  const maximum = image.data.reduce((m, v) => Math.max(m, v), 0) || 1;

  const outImage = new Float32Array(image.data.length);
  const outLabels = new Uint8Array(labels.data.length);
  const p = [0, 0, 0];
  for (let z = 0, n = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, n++) {
        const q = [x - centre[0]!, y - centre[1]!, z - centre[2]!];
        const g = [(x / (nx - 1)) * (points - 1), (y / (ny - 1)) * (points - 1), (z / (nz - 1)) * (points - 1)];
        for (let r = 0; r < 3; r++) {
          p[r] =
            centre[r]! +
            shift[r]! +
            trilinearGrid(field[r]!, points, g) +
            matrix[r * 3]! * q[0]! +
            matrix[r * 3 + 1]! * q[1]! +
            matrix[r * 3 + 2]! * q[2]!;
        }
        const grey = sampleLinear(image, p);
        const bias = Math.exp(biasTerms[0]! * (q[0]! / nx) * 2 + biasTerms[1]! * (q[1]! / ny) * 2 + biasTerms[2]! * (q[2]! / nz) * 2);
        outImage[n] = Math.max(0, maximum * Math.pow(grey / maximum, gamma) * bias + rng.normal() * noise);
        outLabels[n] = sampleNearest(labels, p);
      }
    }
  }
  return { image: { ...image, data: outImage }, labels: { ...labels, data: outLabels } };
}

/** Rotation about i, then j, then k, times a scale per axis, row-major. */
function affineMatrix(angles: number[], scales: number[]): number[] {
  const [a, b, c] = angles as [number, number, number];
  const rx = [1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)];
  const ry = [Math.cos(b), 0, Math.sin(b), 0, 1, 0, -Math.sin(b), 0, Math.cos(b)];
  const rz = [Math.cos(c), -Math.sin(c), 0, Math.sin(c), Math.cos(c), 0, 0, 0, 1];
  const m = multiply(rz, multiply(ry, rx));
  return m.map((v, i) => v * scales[i % 3]!);
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += a[r * 3 + k]! * b[k * 3 + c]!;
  return out;
}

function trilinearGrid(values: Float32Array, n: number, g: number[]): number {
  const i0 = Math.min(n - 2, Math.floor(g[0]!)),
    j0 = Math.min(n - 2, Math.floor(g[1]!)),
    k0 = Math.min(n - 2, Math.floor(g[2]!));
  const [fx, fy, fz] = [g[0]! - i0, g[1]! - j0, g[2]! - k0];
  let sum = 0;
  for (let dk = 0; dk < 2; dk++)
    for (let dj = 0; dj < 2; dj++)
      for (let di = 0; di < 2; di++) {
        const w = (di ? fx : 1 - fx) * (dj ? fy : 1 - fy) * (dk ? fz : 1 - fz);
        sum += w * values[((k0 + dk) * n + j0 + dj) * n + i0 + di]!;
      }
  return sum;
}

function sampleLinear(v: Volume, p: number[]): number {
  const [nx, ny, nz] = v.size;
  const [x, y, z] = p as [number, number, number];
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) return 0;
  const i0 = Math.min(nx - 2, Math.floor(x)),
    j0 = Math.min(ny - 2, Math.floor(y)),
    k0 = Math.min(nz - 2, Math.floor(z));
  const [fx, fy, fz] = [x - i0, y - j0, z - k0];
  let sum = 0;
  for (let dk = 0; dk < 2; dk++)
    for (let dj = 0; dj < 2; dj++)
      for (let di = 0; di < 2; di++) {
        const w = (di ? fx : 1 - fx) * (dj ? fy : 1 - fy) * (dk ? fz : 1 - fz);
        if (w) sum += w * v.data[((k0 + dk) * ny + j0 + dj) * nx + i0 + di]!;
      }
  return sum;
}

function sampleNearest(v: LabelVolume, p: number[]): number {
  const [nx, ny, nz] = v.size;
  const [x, y, z] = [Math.round(p[0]!), Math.round(p[1]!), Math.round(p[2]!)];
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0;
  return v.data[(z * ny + y) * nx + x]!;
}
