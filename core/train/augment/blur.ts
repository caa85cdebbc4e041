/** Separable gaussian blur with edge replication; sigma in pixels. Returns a new array. */
export function gaussianBlur(src: Float32Array, size: number, sigma: number): Float32Array {
  if (sigma < 0.05) return Float32Array.from(src);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = 2 * radius + 1;
  const kernel = new Float32Array(taps);
  let total = 0;
  for (let k = 0; k < taps; k++) total += kernel[k] = Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma));
  for (let k = 0; k < taps; k++) kernel[k]! /= total;

  // Each row is copied into a buffer padded with its end values, so the inner loop needs no bounds checks.
  const padded = new Float32Array(size + 2 * radius);
  const tmp = new Float32Array(src.length);
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let j = 0; j < radius; j++) {
      padded[j] = src[row]!;
      padded[radius + size + j] = src[row + size - 1]!;
    }
    for (let x = 0; x < size; x++) padded[radius + x] = src[row + x]!;
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += kernel[k]! * padded[x + k]!;
      tmp[row + x] = acc;
    }
  }
  const out = new Float32Array(src.length);
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let k = 0; k < taps; k++) {
      const yy = Math.min(last, Math.max(0, y + k - radius));
      const wk = kernel[k]!;
      const from = yy * size;
      for (let x = 0; x < size; x++) out[row + x]! += wk * tmp[from + x]!;
    }
  }
  return out;
}
