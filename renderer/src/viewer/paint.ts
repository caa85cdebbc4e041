import type { VoxelArray } from '../../../core/contract/index.js';
import { sliceStrides, type ViewGeometry } from './orientation.js';

/**
 * Painting on one label slice, in the coordinates of the slice as the view shows it (column u, row v of the
 * unzoomed image), written through the view's strides into the slice as the engine stores it. Every operation
 * asks `allowed(offset)` before it changes a pixel: that is where locked labels and the intensity range of the
 * threshold brush are enforced (see paintRule).
 */
export interface PaintTarget {
  /** The label slice being edited (engine layout). */
  data: Uint8Array;
  g: ViewGeometry;
  sliceWidth: number;
}

/** Whether the pixel at `offset` (engine layout) may be changed by this stroke. */
export type PaintRule = (offset: number) => boolean;

export interface PaintRuleOptions {
  labels: Uint8Array;
  /** The value painted (0 erases). */
  value: number;
  /** Label values nothing may paint over or erase. */
  locked: ReadonlySet<number>;
  /** Grey values of the slice and the range a threshold brush paints within. */
  grey?: VoxelArray;
  range?: { min: number; max: number } | null;
}

export function paintRule({ labels, value, locked, grey, range }: PaintRuleOptions): PaintRule {
  const inRange = range && grey ? (o: number) => grey[o]! >= range.min && grey[o]! <= range.max : () => true;
  return (o) => {
    const old = labels[o]!;
    if (old === value || locked.has(old)) return false;
    return inRange(o);
  };
}

function offsetOf(t: PaintTarget) {
  const { start, stepU, stepV } = sliceStrides(t.g, t.sliceWidth);
  return (u: number, v: number) => start + u * stepU + v * stepV;
}

/** A round brush of `size` pixels across centred on pixel (u, v); returns how many pixels changed. */
export function paintDisc(t: PaintTarget, u: number, v: number, size: number, value: number, allowed: PaintRule): number {
  const at = offsetOf(t);
  const r = size / 2;
  const reach = Math.floor(r);
  let changed = 0;
  for (let dv = -reach; dv <= reach; dv++) {
    const y = v + dv;
    if (y < 0 || y >= t.g.height) continue;
    for (let du = -reach; du <= reach; du++) {
      const x = u + du;
      if (x < 0 || x >= t.g.width || du * du + dv * dv > r * r) continue;
      const o = at(x, y);
      if (!allowed(o)) continue;
      t.data[o] = value;
      changed++;
    }
  }
  return changed;
}

/** The brush dragged from one pixel to another: discs close enough together to leave no gap. */
export function paintLine(
  t: PaintTarget,
  from: [number, number],
  to: [number, number],
  size: number,
  value: number,
  allowed: PaintRule,
): number {
  const distance = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const steps = Math.max(1, Math.ceil(distance / Math.max(0.5, size / 4)));
  let changed = 0;
  for (let s = 1; s <= steps; s++) {
    const u = Math.round(from[0] + ((to[0] - from[0]) * s) / steps);
    const v = Math.round(from[1] + ((to[1] - from[1]) * s) / steps);
    changed += paintDisc(t, u, v, size, value, allowed);
  }
  return changed;
}

/** Fills the pixels whose centres lie inside the polygon (image coordinates, pixel centres at +0.5; even-odd rule). */
export function fillPolygon(t: PaintTarget, points: readonly [number, number][], value: number, allowed: PaintRule): number {
  if (points.length < 3) return 0;
  const at = offsetOf(t);
  let changed = 0;
  for (let y = 0; y < t.g.height; y++) {
    const cy = y + 0.5;
    const crossings: number[] = [];
    for (let i = 0; i < points.length; i++) {
      const [x0, y0] = points[i]!;
      const [x1, y1] = points[(i + 1) % points.length]!;
      if ((y0 <= cy && y1 > cy) || (y1 <= cy && y0 > cy)) crossings.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const first = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const last = Math.min(t.g.width - 1, Math.floor(crossings[k + 1]! - 0.5));
      for (let x = first; x <= last; x++) {
        const o = at(x, y);
        if (!allowed(o)) continue;
        t.data[o] = value;
        changed++;
      }
    }
  }
  return changed;
}

/** Fills the 4-connected region of pixels sharing the label of pixel (u, v). */
export function floodFill(t: PaintTarget, u: number, v: number, value: number, allowed: PaintRule): number {
  const at = offsetOf(t);
  const { width, height } = t.g;
  const target = t.data[at(u, v)]!;
  if (target === value) return 0;
  const seen = new Uint8Array(width * height);
  const stack = [v * width + u];
  seen[v * width + u] = 1;
  let changed = 0;
  while (stack.length > 0) {
    const p = stack.pop()!;
    const x = p % width;
    const y = (p - x) / width;
    const o = at(x, y);
    if (t.data[o] !== target || !allowed(o)) continue;
    t.data[o] = value;
    changed++;
    for (const [nx, ny] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ] as const) {
      if (nx < 0 || ny < 0 || nx >= width || ny >= height || seen[ny * width + nx]) continue;
      seen[ny * width + nx] = 1;
      stack.push(ny * width + nx);
    }
  }
  return changed;
}
