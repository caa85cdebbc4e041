export type IntensityMode = 'minmax' | 'percentile';

/** The robust window of 'percentile' mode: clip to the 0.5th..99.5th percentile, as is usual for CT and MR. */
export const PERCENTILE_WINDOW: readonly [number, number] = [0.5, 99.5];

/**
 * Maps intensities to [0, 1]: 'minmax' stretches min..max, 'percentile' (the default) the robust window and
 * clips outliers. A constant image (or window) becomes all zeros; NaN voxels become 0 and are ignored in the
 * statistics. Returns a new array.
 */
export function normaliseIntensity(data: Float32Array, mode: IntensityMode = 'percentile'): Float32Array {
  const [lo, hi] = mode === 'minmax' ? minMax(data) : robustWindow(data);
  const out = new Float32Array(data.length);
  if (!(hi > lo)) return out;
  const scale = 1 / (hi - lo);
  for (let i = 0; i < data.length; i++) {
    const v = (data[i] - lo) * scale;
    out[i] = v > 0 ? (v < 1 ? v : 1) : 0; // NaN fails both tests and lands on 0
  }
  return out;
}

function minMax(data: Float32Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

// Falls back to min..max when the percentiles coincide (e.g. a mostly-zero image with a small bright object),
// so the object is not flattened into one value.
function robustWindow(data: Float32Array): [number, number] {
  const finite = new Float32Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) finite[n++] = data[i]; // NaN !== NaN
  const values = finite.subarray(0, n);
  const lo = percentile(values, PERCENTILE_WINDOW[0]);
  const hi = percentile(values, PERCENTILE_WINDOW[1]);
  return hi > lo ? [lo, hi] : minMax(values);
}

/** numpy.percentile's default (linear interpolation between order statistics); reorders `values`. */
function percentile(values: Float32Array, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const k = Math.floor(rank);
  const a = select(values, k);
  if (k + 1 >= n || rank === k) return a;
  // After select(k) every value right of k is >= a: the next order statistic is their minimum.
  let b = Infinity;
  for (let i = k + 1; i < n; i++) if (values[i] < b) b = values[i];
  return a + (b - a) * (rank - k);
}

/** Reorders `a` so that a[k] is the k-th smallest value, smaller ones left of it, larger ones right (Hoare). */
function select(a: Float32Array, k: number): number {
  let left = 0,
    right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1];
    let i = left,
      j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k];
}
