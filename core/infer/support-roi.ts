import type { Slice } from '../data/extract-slice.js';

/** A square window of a slice, in pixels: columns x0..x0+size-1, rows y0..y0+size-1 (it may reach past the edges). */
export interface Roi {
  x0: number;
  y0: number;
  size: number;
}

/**
 * How far the window reaches beyond the support's extent, as a multiple of that extent: the structure moves and
 * grows between slices, and the network needs context around it to find its borders.
 */
export const ROI_CONTEXT = 1.5;

/**
 * The square window a task is segmented in: centred on the bounding box of `value` over the support labels,
 * `context` (default ROI_CONTEXT) times its larger side, at least `minSize` pixels, and never larger than the slice's larger side.
 * A small structure in a whole slice shrinks to a few pixels at the model's input size; in its window it keeps
 * its native resolution. Undefined when no support label shows the value.
 */
export function supportRoi(labels: readonly Slice<Uint8Array>[], value: number, minSize: number, context = ROI_CONTEXT): Roi | undefined {
  let xMin = Infinity,
    yMin = Infinity,
    xMax = -Infinity,
    yMax = -Infinity;
  const { width, height } = labels[0] ?? { width: 0, height: 0 };
  for (const { data, width: w, height: h } of labels) {
    if (w !== width || h !== height)
      throw new RangeError(`support labels are ${width}x${height} and ${w}x${h}; one task needs one slice size`);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (data[y * w + x] !== value) continue;
        if (x < xMin) xMin = x;
        if (x > xMax) xMax = x;
        if (y < yMin) yMin = y;
        if (y > yMax) yMax = y;
      }
    }
  }
  if (xMax < 0) return undefined;
  const extent = Math.max(xMax - xMin + 1, yMax - yMin + 1);
  const size = Math.min(Math.max(width, height), Math.max(minSize, Math.ceil(extent * context)));
  return { x0: place((xMin + xMax + 1) / 2, size, width), y0: place((yMin + yMax + 1) / 2, size, height), size };
}

/** The window's first pixel along one side: centred, then shifted to lie within the slice where it fits. */
function place(centre: number, size: number, length: number): number {
  const start = Math.round(centre - size / 2);
  if (size >= length) return Math.floor((length - size) / 2);
  return Math.min(Math.max(0, start), length - size);
}

/** The window's pixels; those past the slice's edges are `fill`. */
export function cropRoi<T extends Float32Array | Uint8Array>(slice: Slice<T>, roi: Roi, fill = 0): T {
  const { data, width, height } = slice;
  const out = new (data.constructor as new (n: number) => T)(roi.size * roi.size);
  if (fill !== 0) out.fill(fill);
  // Row spans copied whole: a pixel loop over this generic array type was a second of a volume's propagation.
  const [x0, x1] = [Math.max(0, roi.x0), Math.min(width, roi.x0 + roi.size)];
  if (x1 <= x0) return out;
  for (let y = Math.max(0, roi.y0); y < Math.min(height, roi.y0 + roi.size); y++) {
    out.set(data.subarray(y * width + x0, y * width + x1), (y - roi.y0) * roi.size + (x0 - roi.x0));
  }
  return out;
}

/** A window's values written back into a width x height slice that is `fill` outside the window. */
export function pasteRoi(window: Float32Array, roi: Roi, width: number, height: number, fill = 0): Float32Array {
  const out = new Float32Array(width * height).fill(fill);
  for (let y = Math.max(0, roi.y0); y < Math.min(height, roi.y0 + roi.size); y++) {
    for (let x = Math.max(0, roi.x0); x < Math.min(width, roi.x0 + roi.size); x++)
      out[y * width + x] = window[(y - roi.y0) * roi.size + (x - roi.x0)]!;
  }
  return out;
}

/**
 * The windows a task is segmented in: supportRoi's one, or one for each of two parts when the support's foreground
 * falls apart along x or y with a gap wider than either part, as the left and right structures of a bilateral label
 * do. One window around both would shrink each to a fraction of the model's input; in its own window each keeps
 * the resolution a one-sided structure gets: on trained bilateral regions +0.2 / +0.5 Dice with 10 / 3 labelled
 * slices (+0.1 / +0.4 as propagation runs them, on every other slice: predictEach), and no trained one-sided region
 * was split (MODEL_CARD.md). Empty when no support label shows the value.
 */
export function taskRois(labels: readonly Slice<Uint8Array>[], value: number, minSize: number): Roi[] {
  const whole = supportRoi(labels, value, minSize);
  if (!whole) return [];
  for (const along of ['x', 'y'] as const) {
    const split = partSplit(labels, value, along);
    if (split === undefined) continue;
    const side = (low: boolean) =>
      supportRoi(
        labels.map((sl) => ({
          ...sl,
          data: sl.data.map((v, i) => ((along === 'x' ? i % sl.width : Math.floor(i / sl.width)) < split === low ? v : 0)),
        })),
        value,
        minSize,
      );
    const [a, b] = [side(true), side(false)];
    if (a && b) return [a, b];
  }
  return [whole];
}

/** The windows a task's network runs in: taskRois's when windowed, else (or with no foreground) the whole slice. */
export function networkWindows(
  labels: readonly Slice<Uint8Array>[],
  value: number,
  minSize: number,
  windowed: boolean,
): (Roi | undefined)[] {
  const rois = windowed ? taskRois(labels, value, minSize) : [];
  return rois.length > 0 ? rois : [undefined];
}

/** Where to cut the support's foreground in two along one axis: the middle of its widest inner gap, if wider than both parts. */
function partSplit(labels: readonly Slice<Uint8Array>[], value: number, along: 'x' | 'y'): number | undefined {
  const { width, height } = labels[0]!;
  const occupied = new Uint8Array(along === 'x' ? width : height);
  for (const { data } of labels)
    for (let y = 0, p = 0; y < height; y++) for (let x = 0; x < width; x++, p++) if (data[p] === value) occupied[along === 'x' ? x : y] = 1;
  const [first, last] = [occupied.indexOf(1), occupied.lastIndexOf(1)];
  let [gap, start] = [0, -1];
  for (let c = first, run = 0; c <= last; c++) {
    run = occupied[c] ? 0 : run + 1;
    if (run > gap) [gap, start] = [run, c - run + 1];
  }
  if (start < 0 || gap < Math.max(start - first, last - (start + gap) + 1)) return undefined;
  return start + Math.floor(gap / 2);
}
