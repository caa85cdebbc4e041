/**
 * Nearest-neighbour resampling for label maps, pixel-centre aligned like PyTorch's 'nearest-exact' (the legacy
 * 'nearest' would shift labels by up to a pixel towards the origin).
 */
export function resizeNearest<T extends Uint8Array | Float32Array>(src: T, w: number, h: number, W: number, H: number): T {
  if (src.length !== w * h) throw new RangeError(`image buffer holds ${src.length} values, ${w}x${h} needs ${w * h}`);
  const out = new (src.constructor as new (n: number) => T)(W * H);
  const xs = Int32Array.from({ length: W }, (_, X) => Math.min(Math.floor((X + 0.5) * (w / W)), w - 1));
  for (let Y = 0; Y < H; Y++) {
    const row = Math.min(Math.floor((Y + 0.5) * (h / H)), h - 1) * w;
    for (let X = 0; X < W; X++) out[Y * W + X] = src[row + xs[X]];
  }
  return out;
}
