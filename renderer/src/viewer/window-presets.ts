import type { WindowLevel } from './compose-slice.js';

export interface WindowPreset {
  name: string;
  /** Fixed (CT Hounsfield units) or computed from the image's own intensity statistics (MR). */
  window: WindowLevel | ((stats: IntensityRange) => WindowLevel);
}

export interface IntensityRange {
  min: number;
  max: number;
  p1: number;
  p99: number;
}

const fromRange = (lo: number, hi: number): WindowLevel => ({ width: Math.max(hi - lo, 1e-6), level: (lo + hi) / 2 });

/** The usual CT windows in HU (as in 3D Slicer and most PACS). */
export const ctPresets: WindowPreset[] = [
  { name: 'CT Abdomen', window: { width: 350, level: 40 } },
  { name: 'CT Brain', window: { width: 80, level: 40 } },
  { name: 'CT Bone', window: { width: 2000, level: 400 } },
  { name: 'CT Lung', window: { width: 1500, level: -600 } },
  { name: 'CT Mediastinum', window: { width: 400, level: 40 } },
];

/** MR (and anything else without absolute units): windows from the image's own histogram. */
export const imagePresets: WindowPreset[] = [
  { name: 'Auto (1–99%)', window: (s) => fromRange(s.p1, s.p99) },
  { name: 'Full range', window: (s) => fromRange(s.min, s.max) },
];

export function presetWindow(preset: WindowPreset, stats: IntensityRange): WindowLevel {
  return typeof preset.window === 'function' ? preset.window(stats) : preset.window;
}

export function defaultWindow(stats: IntensityRange): WindowLevel {
  return fromRange(stats.p1, stats.p99);
}
