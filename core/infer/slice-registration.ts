/**
 * Deformable registration of one slice to its neighbour: Thirion's demons with the symmetric (both images')
 * gradient, a fluid-like smoothing of each update and a diffusion-like smoothing of the field (Vercauteren et al.
 * 2009, without the exponential map: neighbouring slices move by a pixel or two). Written here rather than run
 * through elastix (@itk-wasm/elastix) because propagation registers every pair of neighbouring slices in a
 * label's range, a few hundred small pairs a run at a few milliseconds each, where one elastix call costs its
 * parameter-map set-up and a wasm round trip per pair.
 */

/** Where each pixel of the fixed slice is found in the moving one: fixed(x) ~ moving(x + d(x)), in pixels. */
export interface DisplacementField {
  dx: Float32Array;
  dy: Float32Array;
  width: number;
  height: number;
}

export interface DemonsOptions {
  /** Iterations at each level, coarsest first; the finest level is the slices' own size. */
  iterations?: readonly number[];
  /** Gaussian sigma (px) of the update smoothing (fluid) and of the field smoothing (diffusion). */
  fluidSigma?: number;
  diffusionSigma?: number;
}

/**
 * Quarter, half and full resolution: none at full, whose field is the half-resolution one upsampled. Neighbouring
 * slices move smoothly, and the full-resolution iterations tripled propagation's time (a 181-slice volume with four
 * labels: 38 s against 20 s). 10 and 5 iterations instead of 20 and 10 changed Dice on the trained regions by at most
 * 0.03 in any regime, for half the registration; 20 at a quarter and none at half lost 0.4-0.5 (MODEL_CARD.md).
 */
const DEFAULT_ITERATIONS = [10, 5, 0];

/** Registers `moving` to `fixed` (same size, intensities on one scale): the field that pulls moving onto fixed. */
export function registerSlices(
  fixed: Float32Array,
  moving: Float32Array,
  width: number,
  height: number,
  options: DemonsOptions = {},
): DisplacementField {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const fluid = options.fluidSigma ?? 1;
  const diffusion = options.diffusionSigma ?? 1.5;
  const pyramid: { fixed: Float32Array; moving: Float32Array; width: number; height: number }[] = [{ fixed, moving, width, height }];
  for (let level = 1; level < iterations.length; level++) {
    const prev = pyramid[0]!;
    if (prev.width < 16 || prev.height < 16) break;
    const [f, m] = [halve(prev.fixed, prev.width, prev.height), halve(prev.moving, prev.width, prev.height)];
    pyramid.unshift({ fixed: f.data, moving: m.data, width: f.width, height: f.height });
  }
  let field: DisplacementField | undefined;
  pyramid.forEach((level, i) => {
    field = field ? doubleField(field, level.width, level.height) : zeroField(level.width, level.height);
    const count = iterations[iterations.length - pyramid.length + i]!;
    for (let k = 0; k < count; k++) demonsStep(level.fixed, level.moving, field, fluid, diffusion);
  });
  return field!;
}

/** One demons iteration: the update each pixel's intensity difference asks for, smoothed, added, and the field smoothed. */
function demonsStep(fixed: Float32Array, moving: Float32Array, field: DisplacementField, fluid: number, diffusion: number): void {
  const { width, height } = field;
  const warped = warpImage(moving, field);
  const ux = new Float32Array(width * height);
  const uy = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const xm = x > 0 ? i - 1 : i;
      const xp = x < width - 1 ? i + 1 : i;
      const ym = y > 0 ? i - width : i;
      const yp = y < height - 1 ? i + width : i;
      const gx = 0.25 * (fixed[xp]! - fixed[xm]! + warped[xp]! - warped[xm]!);
      const gy = 0.25 * (fixed[yp]! - fixed[ym]! + warped[yp]! - warped[ym]!);
      const diff = warped[i]! - fixed[i]!;
      const denom = gx * gx + gy * gy + diff * diff;
      if (denom < 1e-12) continue;
      // |update| <= 0.5 px by construction: no step overshoots.
      ux[i] = (-diff * gx) / denom;
      uy[i] = (-diff * gy) / denom;
    }
  }
  gaussianSmooth(ux, width, height, fluid);
  gaussianSmooth(uy, width, height, fluid);
  for (let i = 0; i < ux.length; i++) {
    field.dx[i]! += ux[i]!;
    field.dy[i]! += uy[i]!;
  }
  gaussianSmooth(field.dx, width, height, diffusion);
  gaussianSmooth(field.dy, width, height, diffusion);
}

/** `image` sampled at x + d(x) (bilinear, edges clamped). */
export function warpImage(image: Float32Array, field: DisplacementField): Float32Array {
  const { width, height, dx, dy } = field;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out[i] = sampleBilinear(image, width, height, x + dx[i]!, y + dy[i]!);
    }
  }
  return out;
}

/**
 * The field that carries `outer` through `inner`: moving(x + inner(x) + outer(x + inner(x))). With inner the
 * field from slice t to t-1 and outer the one from t-1 to the labelled slice, it goes from t to the labelled slice.
 */
export function composeFields(inner: DisplacementField, outer: DisplacementField): DisplacementField {
  const { width, height } = inner;
  const out = zeroField(width, height);
  const { dx, dy } = outer;
  // One cell and its weights serve both components: chains are composed for every slice of every gap.
  const c = newCell();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      bilinearCell(width, height, x + inner.dx[i]!, y + inner.dy[i]!, c);
      out.dx[i] = inner.dx[i]! + interpolate(dx, c);
      out.dy[i] = inner.dy[i]! + interpolate(dy, c);
    }
  }
  return out;
}

export function zeroField(width: number, height: number): DisplacementField {
  return { dx: new Float32Array(width * height), dy: new Float32Array(width * height), width, height };
}

export function sampleBilinear(image: ArrayLike<number>, width: number, height: number, x: number, y: number): number {
  return interpolate(image, bilinearCell(width, height, x, y, scratch));
}

/** A bilinear sample's cell: its first pixel, the offsets to the pixels right of and below it, and the weights. */
interface Cell {
  k: number;
  right: number;
  down: number;
  fx: number;
  fy: number;
}

const newCell = (): Cell => ({ k: 0, right: 0, down: 0, fx: 0, fy: 0 });
const scratch = newCell();

/** Fills `cell` for position (x, y), clamped to the grid. */
function bilinearCell(width: number, height: number, x: number, y: number, cell: Cell): Cell {
  const cx = x < 0 ? 0 : x > width - 1 ? width - 1 : x;
  const cy = y < 0 ? 0 : y > height - 1 ? height - 1 : y;
  // The cell's far corner stays on the grid: at the last row or column the weight of the one beyond is zero.
  const x0 = width > 1 ? Math.min(Math.floor(cx), width - 2) : 0;
  const y0 = height > 1 ? Math.min(Math.floor(cy), height - 2) : 0;
  cell.fx = width > 1 ? cx - x0 : 0;
  cell.fy = height > 1 ? cy - y0 : 0;
  cell.k = y0 * width + x0;
  cell.right = width > 1 ? 1 : 0;
  cell.down = height > 1 ? width : 0;
  return cell;
}

function interpolate(image: ArrayLike<number>, { k, right, down, fx, fy }: Cell): number {
  const top = image[k]! * (1 - fx) + image[k + right]! * fx;
  const bottom = image[k + down]! * (1 - fx) + image[k + down + right]! * fx;
  return top * (1 - fy) + bottom * fy;
}

function halve(image: Float32Array, width: number, height: number): { data: Float32Array; width: number; height: number } {
  const [w, h] = [Math.ceil(width / 2), Math.ceil(height / 2)];
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [x0, y0] = [2 * x, 2 * y];
      const [x1, y1] = [Math.min(x0 + 1, width - 1), Math.min(y0 + 1, height - 1)];
      data[y * w + x] = 0.25 * (image[y0 * width + x0]! + image[y0 * width + x1]! + image[y1 * width + x0]! + image[y1 * width + x1]!);
    }
  }
  return { data, width: w, height: h };
}

/** A coarse level's field on the next finer grid: sampled at half the position, displacements doubled. */
function doubleField(field: DisplacementField, width: number, height: number): DisplacementField {
  const out = zeroField(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out.dx[i] = 2 * sampleBilinear(field.dx, field.width, field.height, x / 2, y / 2);
      out.dy[i] = 2 * sampleBilinear(field.dy, field.width, field.height, x / 2, y / 2);
    }
  }
  return out;
}

/**
 * Separable Gaussian blur in place, edges clamped. Registration spends most of its time here; each output sums its
 * taps in ascending order with the kernel in float32, as a plain tap loop per pixel does, so the fields stay the same
 * bit for bit (checked in slice-registration.test.ts).
 */
export function gaussianSmooth(data: Float32Array, width: number, height: number, sigma: number): void {
  if (sigma <= 0) return;
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const e = Math.exp(-(k * k) / (2 * sigma * sigma));
    kernel[k + radius] = Math.fround(e);
    sum += e;
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] = Math.fround(kernel[k]! / sum);
  const taps = kernel.length;
  // Every output sums its taps in ascending order (the same floats as one tap loop per pixel), a tap at a time
  // over a whole row: the loops run over contiguous memory and clamp indices only at the ends.
  const acc = new Float64Array(width);
  const line = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    line.set(data.subarray(row, row + width));
    acc.fill(0);
    for (let k = 0; k < taps; k++) {
      const w = kernel[k]!;
      const shift = k - radius;
      const lo = Math.min(width, Math.max(0, -shift));
      const hi = Math.max(lo, Math.min(width, width - shift));
      for (let x = 0; x < lo; x++) acc[x]! += w * line[Math.min(Math.max(x + shift, 0), width - 1)]!;
      for (let x = lo; x < hi; x++) acc[x]! += w * line[x + shift]!;
      for (let x = hi; x < width; x++) acc[x]! += w * line[Math.min(Math.max(x + shift, 0), width - 1)]!;
    }
    for (let x = 0; x < width; x++) data[row + x] = acc[x]!;
  }
  // Columns, a row at a time from a copy of the image: rows are contiguous, columns are not.
  const copy = data.slice();
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let k = 0; k < taps; k++) {
      const w = kernel[k]!;
      const from = Math.min(Math.max(y + k - radius, 0), height - 1) * width;
      for (let x = 0; x < width; x++) acc[x]! += w * copy[from + x]!;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) data[row + x] = acc[x]!;
  }
}
