/** A label value with the name and colour it is exported with. */
export interface Segment {
  /** The voxel value in the label map, 1..255. */
  value: number;
  name: string;
  /** RGB, each 0..255. */
  color: [number, number, number];
}

// Distinct, colour-blind-friendly defaults (Okabe-Ito), cycled for label values without a given segment.
const PALETTE: [number, number, number][] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
];

/**
 * The segments to export for a label map, in value order: the given ones for values that occur (all given ones
 * with `keepAbsent`, for formats that can hold empty segments), plus a default-named, default-coloured one for
 * every other value that occurs.
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
    segments.push(byValue.get(v) ?? { value: v, name: `Segment ${v}`, color: defaultColor(v) });
  }
  return segments;
}

/** The palette colour a label value gets when nothing names one. */
export function defaultColor(value: number): [number, number, number] {
  return PALETTE[(value - 1) % PALETTE.length]!;
}
