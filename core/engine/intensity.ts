/** Full and robust intensity range: the viewer's default window spans p1..p99 so a few hot voxels do not wash it out. */
export interface IntensityStats {
  min: number;
  max: number;
  p1: number;
  p99: number;
}

const BINS = 4096;

/** Percentiles from a fine histogram (exact to 1/4096 of the range), in two passes without sorting or copying. */
export function intensityStats(data: Float32Array): IntensityStats {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  if (count === 0) return { min: 0, max: 0, p1: 0, p99: 0 };
  if (min === max) return { min, max, p1: min, p99: max };

  const histogram = new Float64Array(BINS);
  const scale = (BINS - 1) / (max - min);
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    if (Number.isFinite(v)) histogram[Math.round((v - min) * scale)]!++;
  }
  const percentile = (q: number): number => {
    const target = q * count;
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += histogram[b]!;
      if (seen >= target) return min + b / scale;
    }
    return max;
  };
  return { min, max, p1: percentile(0.01), p99: percentile(0.99) };
}
