import type { Axis } from './volume.js';

/**
 * How a slice perpendicular to `axis` sits in a volume's flat array: the slice's columns run along the lower of
 * the two other index axes, its rows along the higher one (axis 2: width = size[0], height = size[1]), with no
 * flipping: orienting for display is the viewer's business.
 */
export function sliceLayout(size: readonly [number, number, number], axis: Axis, index: number) {
  if (!Number.isInteger(index) || index < 0 || index >= size[axis]) {
    throw new RangeError(`slice ${index} is outside 0..${size[axis] - 1} along axis ${axis}`);
  }
  const strides = [1, size[0], size[0] * size[1]];
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis);
  return {
    width: size[u],
    height: size[v],
    offset: index * strides[axis],
    columnStride: strides[u],
    rowStride: strides[v],
  };
}
