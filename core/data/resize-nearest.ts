/**
 * Nearest-neighbour resampling for label maps, pixel-centre aligned like PyTorch's 'nearest-exact' (the legacy
 * 'nearest' would shift labels by up to a pixel towards the origin).
 */
export function resizeNearest<T extends Uint8Array | Float32Array>(src: T, w: number, h: number, W: number, H: number): T {
  if (src.length !== w * h) throw new RangeError(`image buffer holds ${src.length} values, ${w}x${h} needs ${w * h}`);
  const out = new (src.constructor as new (n: number) => T)(W * H);
  const [xs, ys] = [nearestTaps(w, W), nearestTaps(h, H)];
  for (let Y = 0; Y < H; Y++) {
    const row = ys[Y]! * w;
    for (let X = 0; X < W; X++) out[Y * W + X] = src[row + xs[X]!]!;
  }
  return out;
}

/** For each of `to` output pixels along a side, the one of `from` input pixels resizeNearest takes. */
export function nearestTaps(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to }, (_, X) => Math.min(Math.floor((X + 0.5) * (from / to)), from - 1));
}
