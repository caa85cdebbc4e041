import { labelColor } from '../contract/label-palette.js';

/** A label value with the name and colour it is exported with. */
export interface Segment {
  /** The voxel value in the label map, 1..255. */
  value: number;
  name: string;
  /** RGB, each 0..255. */
  color: [number, number, number];
}

/**
 * The segments to export for a label map, in value order: the given ones for values that occur (all given ones
 * with `keepAbsent`, for formats that can hold empty segments), plus a default-named one for every other
 * value that occurs, coloured as the app shows it (the contract's labelColor).
 */
export function segmentsFor(data: Uint8Array, given: readonly Segment[] = [], keepAbsent = false): Segment[] {
  const present = new Uint8Array(256);
  for (let i = 0; i < data.length; i++) present[data[i]] = 1;
  const byValue = new Map(given.map((s) => [s.value, s]));
  for (const s of given) {
    if (!Number.isInteger(s.value) || s.value < 1 || s.value > 255)
      throw new RangeError(`segment "${s.name}" has value ${s.value}, not 1..255`);
  }
  const segments: Segment[] = [];
  for (let v = 1; v < 256; v++) {
    if (!present[v] && !(keepAbsent && byValue.has(v))) continue;
    segments.push(byValue.get(v) ?? { value: v, name: `Segment ${v}`, color: labelColor(v) });
  }
  return segments;
}
