/**
 * Bilinear resampling of a row-major w x h image to W x H with PyTorch's align_corners=false convention (pixel
 * centres aligned, source coordinate clamped at the low border, no antialiasing), as F.interpolate does.
 */
export function resizeBilinear(src: Float32Array, w: number, h: number, W: number, H: number): Float32Array {
  if (src.length !== w * h) throw new RangeError(`image buffer holds ${src.length} values, ${w}x${h} needs ${w * h}`);
  const xs = taps(w, W);
  const ys = taps(h, H);
  const out = new Float32Array(W * H);
  for (let Y = 0; Y < H; Y++) {
    const r0 = ys.i0[Y] * w,
      r1 = ys.i1[Y] * w,
      fy = ys.f[Y];
    for (let X = 0; X < W; X++) {
      const c0 = xs.i0[X],
        c1 = xs.i1[X],
        fx = xs.f[X];
      const top = src[r0 + c0] + (src[r0 + c1] - src[r0 + c0]) * fx;
      const bottom = src[r1 + c0] + (src[r1 + c1] - src[r1 + c0]) * fx;
      out[Y * W + X] = top + (bottom - top) * fy;
    }
  }
  return out;
}

function taps(n: number, N: number) {
  const i0 = new Int32Array(N),
    i1 = new Int32Array(N),
    f = new Float32Array(N);
  const scale = n / N;
  for (let d = 0; d < N; d++) {
    const s = Math.max(0, (d + 0.5) * scale - 0.5);
    i0[d] = Math.min(Math.floor(s), n - 1);
    i1[d] = Math.min(i0[d] + 1, n - 1);
    f[d] = s - i0[d];
  }
  return { i0, i1, f };
}
