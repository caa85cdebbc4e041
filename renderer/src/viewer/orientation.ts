/**
 * Which index axes a view shows, and which way round, so that every image appears as radiologists expect
 * whatever order its voxels are stored in. Physical space is LPS (ITK's): +x = Left, +y = Posterior, +z = Superior.
 * Radiological convention, as 3D Slicer and ITK-SNAP draw it:
 *   axial    (normal z): screen right = patient Left,      screen down = Posterior
 *   coronal  (normal y): screen right = patient Left,      screen down = Inferior
 *   sagittal (normal x): screen right = patient Posterior, screen down = Inferior
 * An oblique image is shown along the index axes closest to these directions (as ITK-SNAP does), not resampled.
 */
export type Axis = 0 | 1 | 2;
export type ViewName = 'axial' | 'coronal' | 'sagittal';
export type Vec3 = [number, number, number];

interface ViewSpec {
  normal: Axis;
  /** Physical axis and sign that screen x (right) and screen y (down) point along. */
  right: [Axis, 1 | -1];
  down: [Axis, 1 | -1];
  /** Sign of the physical normal that "next slice" moves along: toward S, A and R, as 3D Slicer's sliders do. */
  forward: 1 | -1;
}

const views: Record<ViewName, ViewSpec> = {
  axial: { normal: 2, right: [0, 1], down: [1, 1], forward: 1 },
  coronal: { normal: 1, right: [0, 1], down: [2, -1], forward: -1 },
  sagittal: { normal: 0, right: [1, 1], down: [2, -1], forward: -1 },
};

/** Letter for the patient side reached by moving along +/- each physical axis. */
const sideLetters: Record<Axis, [string, string]> = { 0: ['L', 'R'], 1: ['P', 'A'], 2: ['S', 'I'] };

export interface ViewGeometry {
  view: ViewName;
  /** Index axis normal to the screen; the slice number is the index along it. */
  sliceAxis: Axis;
  /** Index axes drawn along screen x and y, and whether they run backwards on screen. */
  xAxis: Axis;
  yAxis: Axis;
  flipX: boolean;
  flipY: boolean;
  /** Pixels of the slice image on screen (before zoom). */
  width: number;
  height: number;
  /** Millimetres per image pixel along screen x and y: the aspect ratio to draw with. */
  spacingX: number;
  spacingY: number;
  /** Index step of "next slice" (arrow up, wheel up): +1 or -1, whichever moves toward S, A or R. */
  forwardStep: 1 | -1;
  /** Letters at the left, right, top and bottom edges of the view. */
  edges: { left: string; right: string; top: string; bottom: string };
}

/**
 * For each physical axis p, the index axis that runs closest to it and the sign: the permutation that maximises the
 * summed |cosine|, so a 45-degree oblique image still gets three distinct axes.
 */
export function indexAxesOf(direction: readonly number[]): { axis: [Axis, Axis, Axis]; sign: [1 | -1, 1 | -1, 1 | -1] } {
  const perms: [Axis, Axis, Axis][] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const cos = (p: number, c: number) => direction[p * 3 + c] ?? (p === c ? 1 : 0);
  let best = perms[0]!;
  let bestScore = -1;
  for (const perm of perms) {
    const score = perm.reduce<number>((sum, c, p) => sum + Math.abs(cos(p, c)), 0);
    if (score > bestScore + 1e-9) {
      best = perm;
      bestScore = score;
    }
  }
  const sign = best.map((c, p) => (cos(p, c) < 0 ? -1 : 1)) as [1 | -1, 1 | -1, 1 | -1];
  return { axis: best, sign };
}

export function viewGeometry(
  view: ViewName,
  image: { size: readonly number[]; spacing: readonly number[]; direction: readonly number[] },
): ViewGeometry {
  const spec = views[view];
  const { axis, sign } = indexAxesOf(image.direction);
  const xAxis = axis[spec.right[0]];
  const yAxis = axis[spec.down[0]];
  const letter = (physical: Axis, towardPositive: boolean) => sideLetters[physical][towardPositive ? 0 : 1];
  return {
    view,
    sliceAxis: axis[spec.normal],
    xAxis,
    yAxis,
    flipX: sign[spec.right[0]] !== spec.right[1],
    flipY: sign[spec.down[0]] !== spec.down[1],
    width: image.size[xAxis]!,
    height: image.size[yAxis]!,
    spacingX: image.spacing[xAxis]!,
    spacingY: image.spacing[yAxis]!,
    forwardStep: sign[spec.normal] === spec.forward ? 1 : -1,
    edges: {
      left: letter(spec.right[0], spec.right[1] < 0),
      right: letter(spec.right[0], spec.right[1] > 0),
      top: letter(spec.down[0], spec.down[1] < 0),
      bottom: letter(spec.down[0], spec.down[1] > 0),
    },
  };
}

/** Screen pixel (column u, row v of the unzoomed slice image) of a voxel, and back. */
export function voxelToImage(g: ViewGeometry, voxel: readonly number[]): [number, number] {
  const i = voxel[g.xAxis]!;
  const j = voxel[g.yAxis]!;
  return [g.flipX ? g.width - 1 - i : i, g.flipY ? g.height - 1 - j : j];
}

export function imageToVoxel(g: ViewGeometry, u: number, v: number, sliceIndex: number): Vec3 {
  const voxel: Vec3 = [0, 0, 0];
  voxel[g.sliceAxis] = sliceIndex;
  voxel[g.xAxis] = g.flipX ? g.width - 1 - u : u;
  voxel[g.yAxis] = g.flipY ? g.height - 1 - v : v;
  return voxel;
}

/**
 * Where slice-image pixel (u, v) lives in a slice as the engine sends it (row-major, x along the lower of the two
 * in-plane index axes): offset = start + u * stepU + v * stepV.
 */
export function sliceStrides(g: ViewGeometry, sliceWidth: number): { start: number; stepU: number; stepV: number } {
  const xIsLower = g.xAxis < g.yAxis;
  let stepU = xIsLower ? 1 : sliceWidth;
  let stepV = xIsLower ? sliceWidth : 1;
  let start = 0;
  if (g.flipX) {
    start += (g.width - 1) * stepU;
    stepU = -stepU;
  }
  if (g.flipY) {
    start += (g.height - 1) * stepV;
    stepV = -stepV;
  }
  return { start, stepU, stepV };
}

/** Offset of a voxel's in-plane position in a slice as the engine sends it (x along the lower index axis). */
export function sliceOffset(g: ViewGeometry, sliceWidth: number, voxel: readonly number[]): number {
  const lower = Math.min(g.xAxis, g.yAxis);
  const higher = Math.max(g.xAxis, g.yAxis);
  return voxel[higher]! * sliceWidth + voxel[lower]!;
}

/** LPS millimetres of a voxel: origin + direction * (index * spacing). */
export function voxelToPhysical(
  image: { spacing: readonly number[]; origin: readonly number[]; direction: readonly number[] },
  voxel: readonly number[],
): Vec3 {
  const out: Vec3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    let sum = image.origin[r] ?? 0;
    for (let c = 0; c < 3; c++) sum += (image.direction[r * 3 + c] ?? (r === c ? 1 : 0)) * voxel[c]! * image.spacing[c]!;
    out[r] = sum;
  }
  return out;
}
