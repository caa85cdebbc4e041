/**
 * Registration of one volume onto another with elastix (@itk-wasm/elastix): affine, then B-spline, on copies
 * reduced by block averaging. Settings chosen on trained Colin27 regions (test/tools/measure-batch.ts; numbers in
 * the report of issue #16): at 2 mm, one resolution of 100 iterations of each, a 20 mm control-point grid and no
 * bending-energy term (which took 80% of the time for no measurable Dice) gave 90-94 Dice on trained regions in
 * ~10 s per pair, where elastix's default maps took ~45 s.
 */
import { defaultParameterMapNode, elastixNode, transformixNode } from '@itk-wasm/elastix';
import type { Image, JsonCompatible } from 'itk-wasm';
import { withItk } from '../data/itk-io.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import { gridMismatch } from '../data/grid-mismatch.js';
import { reduceVolume, type Grid } from './volume-grid.js';

export interface RegistrationSettings {
  /** Block size the images are averaged down by before registration. */
  reduction: number;
  /** Iterations of the affine and of the B-spline stage. */
  affineIterations: number;
  bsplineIterations: number;
  /** Multi-resolution levels of each stage. */
  affineResolutions: number;
  bsplineResolutions: number;
  /** Control-point spacing of the B-spline, mm. */
  gridSpacing: number;
  /** Random samples of the metric per iteration. */
  samples: number;
}

export const DEFAULT_REGISTRATION: RegistrationSettings = {
  reduction: 2,
  affineIterations: 100,
  bsplineIterations: 100,
  affineResolutions: 1,
  bsplineResolutions: 1,
  gridSpacing: 20,
  samples: 2048,
};

/** Outside the moving image: transformix's fill value for the coordinate images. */
const OUTSIDE = -1e6;

/**
 * Where each voxel of the fixed grid lies in the moving volume (continuous index i, j, k), on a grid `factor`
 * times coarser than the fixed one: the field is smooth, so trilinear interpolation of it costs nothing in accuracy.
 */
export interface VolumeMapping {
  fixed: Grid;
  moving: Grid;
  factor: number;
  coarseSize: [number, number, number];
  /** Moving index per coarse fixed voxel, three values each; OUTSIDE where it falls out of the moving image. */
  coordinates: Float32Array;
  milliseconds: number;
}

/**
 * Registers `moving` onto `fixed`. Throws `Error` naming what failed when elastix cannot register them (too
 * little overlap, an image without contrast): the caller reports the volume and goes on.
 */
export async function registerVolume(
  fixed: Volume,
  moving: Volume,
  settings: RegistrationSettings = DEFAULT_REGISTRATION,
): Promise<VolumeMapping> {
  const started = performance.now();
  for (const [v, role] of [
    [fixed, 'fixed'],
    [moving, 'moving'],
  ] as const) {
    if (v.dimension !== 3 || v.size.some((n) => n < 4 * settings.reduction))
      throw new Error(`the ${role} image (${v.size.join('x')}) is too small to register as a volume`);
    if (!hasContrast(v.data)) throw new Error(`the ${role} image is uniform: nothing to register`);
  }
  const [f, m] = [reduceVolume(fixed, settings.reduction), reduceVolume(moving, settings.reduction)];
  const affine = await defaultMap('affine', { numberOfResolutions: settings.affineResolutions });
  const bspline = await defaultMap('bspline', { numberOfResolutions: settings.bsplineResolutions, finalGridSpacing: settings.gridSpacing });
  // The bending-energy term of the default B-spline map is dropped: see the file comment.
  bspline.Metric = ['AdvancedMattesMutualInformation'];
  bspline.Registration = ['MultiResolutionRegistration'];
  delete bspline.Metric0Weight;
  delete bspline.Metric1Weight;
  affine.MaximumNumberOfIterations = [String(settings.affineIterations)];
  bspline.MaximumNumberOfIterations = [String(settings.bsplineIterations)];
  for (const map of [affine, bspline]) {
    map.NumberOfSpatialSamples = [String(settings.samples)];
    map.WriteResultImage = ['false'];
  }
  let transform: JsonCompatible;
  try {
    transform = (
      await withItk(() => elastixNode([affine, bspline] as unknown as JsonCompatible, { fixed: floatImage(f), moving: floatImage(m) }))
    ).transformParameterObject;
  } catch (err) {
    throw new Error(`elastix could not register it: ${firstLine(err)}`, { cause: err });
  }
  // The transform is applied to images of the moving voxels' own indices (linear in space, so linear
  // interpolation carries them exactly), giving the mapping at once for the image and every label.
  const factor = settings.reduction;
  const coarseSize = fixed.size.map((n) => Math.ceil(n / factor)) as [number, number, number];
  const target = { size: coarseSize, spacing: fixed.spacing.map((s) => s * factor), origin: f.origin };
  const maps = (transform as Record<string, string[]>[]).map((map) => ({
    ...map,
    ResampleInterpolator: ['FinalLinearInterpolator'],
    DefaultPixelValue: [String(OUTSIDE)],
    Size: target.size.map(String),
    Spacing: target.spacing.map(String),
    Origin: target.origin.map(String),
    Direction: fixed.direction.map(String),
    ResultImagePixelType: ['float'],
  }));
  const coordinates = new Float32Array(coarseSize[0] * coarseSize[1] * coarseSize[2] * 3);
  for (let axis = 0; axis < 3; axis++) {
    const index = indexImage(m, axis, factor);
    let result: Image;
    try {
      result = (await withItk(() => transformixNode(index, maps as unknown as JsonCompatible))).result;
    } catch (err) {
      throw new Error(`transformix could not apply the registration: ${firstLine(err)}`, { cause: err });
    }
    const data = result.data as Float32Array;
    for (let n = 0; n < data.length; n++) coordinates[n * 3 + axis] = data[n]!;
  }
  const inside = countInside(coordinates);
  if (inside < 0.2 * (coordinates.length / 3))
    throw new Error(
      `the registration maps only ${Math.round((100 * inside * 3) / coordinates.length)}% of the volume inside the support image`,
    );
  return { fixed: grid(fixed), moving: grid(moving), factor, coarseSize, coordinates, milliseconds: performance.now() - started };
}

// Each pipeline call costs a wasm start-up: elastix's default maps are asked for once per setting.
const defaultMaps = new Map<string, Promise<Record<string, string[]>>>();

async function defaultMap(
  transform: string,
  options: { numberOfResolutions: number; finalGridSpacing?: number },
): Promise<Record<string, string[]>> {
  const key = `${transform}:${JSON.stringify(options)}`;
  let map = defaultMaps.get(key);
  if (!map)
    defaultMaps.set(
      key,
      (map = withItk(() => defaultParameterMapNode(transform, options)).then((r) => r.parameterMap as Record<string, string[]>)),
    );
  return structuredClone(await map);
}

/** The moving volume resampled (trilinear) onto the fixed grid. */
export function warpVolume(mapping: VolumeMapping, moving: Volume): Volume {
  checkMoving(mapping, moving);
  const out = new Float32Array(mapping.fixed.size[0] * mapping.fixed.size[1] * mapping.fixed.size[2]);
  eachVoxel(mapping, (n, x, y, z) => {
    out[n] = trilinear(moving.size, x, y, z, (m, w) => w * moving.data[m]!);
  });
  return { ...moving, ...mapping.fixed, data: out, dimension: 3 };
}

/**
 * Per label value, the fraction of the moving label map's voxels around each fixed voxel that hold it (trilinear
 * weights of one-hot maps): a soft map, so that several supports vote with their partial volumes.
 */
export function warpLabelProbabilities(mapping: VolumeMapping, labels: LabelVolume, values: readonly number[]): Map<number, Float32Array> {
  checkMoving(mapping, labels);
  const voxels = mapping.fixed.size[0] * mapping.fixed.size[1] * mapping.fixed.size[2];
  const slot = new Int16Array(256).fill(-1);
  values.forEach((v, i) => (slot[v] = i));
  const maps = values.map(() => new Float32Array(voxels));
  eachVoxel(mapping, (n, x, y, z) => {
    trilinear(labels.size, x, y, z, (m, w) => {
      const s = slot[labels.data[m]!]!;
      if (s >= 0) maps[s]![n]! += w;
      return 0;
    });
  });
  return new Map(values.map((v, i) => [v, maps[i]!]));
}

function checkMoving(mapping: VolumeMapping, moving: Grid): void {
  const mismatch = gridMismatch(mapping.moving, moving);
  if (mismatch) throw new Error(`the volume to warp is not on the grid the registration was computed for (${mismatch})`);
}

/** Calls `visit` with every fixed voxel's index and its continuous moving index, skipping voxels mapped outside. */
function eachVoxel(mapping: VolumeMapping, visit: (n: number, x: number, y: number, z: number) => void): void {
  const [nx, ny, nz] = mapping.fixed.size;
  const [cx, cy, cz] = mapping.coarseSize;
  const f = mapping.factor;
  const c = mapping.coordinates;
  const p = [0, 0, 0];
  for (let z = 0, n = 0; z < nz; z++) {
    // Coarse voxel centres sit at fixed index f*c + (f-1)/2.
    const gz = Math.min(cz - 1, Math.max(0, (z - (f - 1) / 2) / f));
    for (let y = 0; y < ny; y++) {
      const gy = Math.min(cy - 1, Math.max(0, (y - (f - 1) / 2) / f));
      for (let x = 0; x < nx; x++, n++) {
        const gx = Math.min(cx - 1, Math.max(0, (x - (f - 1) / 2) / f));
        const [x0, y0, z0] = [Math.min(cx - 2, Math.floor(gx)), Math.min(cy - 2, Math.floor(gy)), Math.min(cz - 2, Math.floor(gz))];
        const [fx, fy, fz] = [gx - x0, gy - y0, gz - z0];
        p[0] = p[1] = p[2] = 0;
        let outside = false;
        for (let k = 0; k < 8 && !outside; k++) {
          const w = (k & 1 ? fx : 1 - fx) * (k & 2 ? fy : 1 - fy) * (k & 4 ? fz : 1 - fz);
          const m = (((z0 + (k >> 2)) * cy + y0 + ((k >> 1) & 1)) * cx + x0 + (k & 1)) * 3;
          if (c[m]! <= OUTSIDE / 2) outside = w > 0;
          else for (let a = 0; a < 3; a++) p[a]! += w * c[m + a]!;
        }
        if (!outside) visit(n, p[0]!, p[1]!, p[2]!);
      }
    }
  }
}

/** Sum over the 8 voxels around (x, y, z) of `take(index, weight)`; 0 outside the volume. */
function trilinear(size: readonly number[], x: number, y: number, z: number, take: (m: number, w: number) => number): number {
  const [nx, ny, nz] = size as [number, number, number];
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) return 0;
  const [x0, y0, z0] = [Math.min(nx - 2, Math.floor(x)), Math.min(ny - 2, Math.floor(y)), Math.min(nz - 2, Math.floor(z))];
  const [fx, fy, fz] = [x - x0, y - y0, z - z0];
  let sum = 0;
  for (let k = 0; k < 8; k++) {
    const w = (k & 1 ? fx : 1 - fx) * (k & 2 ? fy : 1 - fy) * (k & 4 ? fz : 1 - fz);
    if (w > 0) sum += take(((z0 + (k >> 2)) * ny + y0 + ((k >> 1) & 1)) * nx + x0 + (k & 1), w);
  }
  return sum;
}

/** An image of the reduced moving grid whose voxels hold their full-resolution index along `axis`. */
function indexImage(reduced: Volume, axis: number, factor: number): Image {
  const [nx, ny, nz] = reduced.size;
  const data = new Float32Array(nx * ny * nz);
  for (let z = 0, n = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, n++) data[n] = [x, y, z][axis]! * factor + (factor - 1) / 2;
  return floatImage({ ...reduced, data });
}

function floatImage(v: Volume): Image {
  return {
    imageType: { dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 },
    name: 'image',
    origin: [...v.origin],
    spacing: [...v.spacing],
    direction: Float64Array.from(v.direction),
    size: [...v.size],
    metadata: new Map(),
    data: v.data,
  };
}

function grid(v: Grid): Grid {
  return { size: [...v.size], spacing: [...v.spacing], origin: [...v.origin], direction: [...v.direction] };
}

function hasContrast(data: Float32Array): boolean {
  const first = data[0];
  for (let i = 1; i < data.length; i += 97) if (data[i] !== first) return true;
  return false;
}

function countInside(c: Float32Array): number {
  let n = 0;
  for (let i = 0; i < c.length; i += 3) if (c[i]! > OUTSIDE / 2) n++;
  return n;
}

function firstLine(err: unknown): string {
  return (
    (err instanceof Error ? err.message : String(err))
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'unknown failure'
  );
}
