import { FAR, squaredDistanceTo } from '../util/distance-transform.js';

/**
 * Signed distance of every pixel to the mask's border: positive inside (distance to the nearest outside pixel),
 * negative outside (minus the distance to the nearest inside pixel). Undefined for an empty mask, which has no border.
 */
export function signedDistance(mask: ArrayLike<number>, width: number, height: number): Float32Array | undefined {
  const grid = { size: [width, height, 1], spacing: [1, 1, 1] } as const;
  const toInside = squaredDistanceTo(grid, (i) => mask[i] !== 0);
  if (toInside[0]! >= FAR) return undefined;
  const toOutside = squaredDistanceTo(grid, (i) => mask[i] === 0);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = mask[i] ? Math.sqrt(Math.min(toOutside[i]!, FAR)) : -Math.sqrt(toInside[i]!);
  return out;
}
