/**
 * Default label colours, shared by the engine (a new project's labels) and the viewer (labels it has no colour
 * for), so both agree. Pure: no Node, no DOM.
 */

/** Distinct, saturated colours for labels 1..10 (label 1, a single segmentation, is red as in most tools). */
const FIRST: [number, number, number][] = [
  [255, 64, 64],
  [64, 200, 80],
  [64, 140, 255],
  [255, 210, 0],
  [0, 210, 210],
  [230, 80, 230],
  [255, 140, 0],
  [150, 110, 255],
  [170, 230, 60],
  [255, 130, 180],
];

/** Colour of each label value 1..255 as [r, g, b]; beyond the first ten, hues step by the golden angle. */
export function labelColor(value: number): [number, number, number] {
  const fixed = FIRST[value - 1];
  if (fixed) return [...fixed];
  const hue = (value * 137.508) % 360;
  return hslToRgb(hue, 0.75, 0.55);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}
