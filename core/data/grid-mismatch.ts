import type { Volume } from './volume.js';

type Grid = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>;

/** Why two grids differ, or null. Positions are compared to a tenth of a voxel, directions to 1e-3. */
export function gridMismatch(a: Grid, b: Grid): string | null {
  if (a.size.some((s, n) => s !== b.size[n])) return `size ${b.size.join('x')} vs ${a.size.join('x')}`;
  if (a.spacing.some((s, n) => Math.abs(s - b.spacing[n]!) > 1e-3 * Math.max(1, s))) {
    return `spacing ${fmt(b.spacing)} vs ${fmt(a.spacing)} mm`;
  }
  const tolerance = 0.1 * Math.min(...a.spacing);
  if (a.origin.some((o, n) => Math.abs(o - b.origin[n]!) > tolerance)) return `origin ${fmt(b.origin)} vs ${fmt(a.origin)} mm`;
  if (a.direction.some((d, n) => Math.abs(d - (b.direction[n] ?? 0)) > 1e-3)) return 'different orientation';
  return null;
}

function fmt(v: readonly number[]): string {
  return v.map((x) => +x.toFixed(3)).join(', ');
}
