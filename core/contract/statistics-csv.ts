import type { LabelStatistics } from './schemas.js';

const HEADER = [
  'value',
  'name',
  'voxels',
  'volume_mm3',
  'volume_ml',
  'mean',
  'sd',
  'i_first',
  'i_last',
  'j_first',
  'j_last',
  'k_first',
  'k_last',
];

/**
 * Label statistics as CSV, one row a line, as `universeg stats --csv` prints them and the workstation exports them.
 * Extents are 0-based voxel indices.
 */
export function statisticsCsv(stats: readonly LabelStatistics[]): string {
  const rows = stats.map((s) => [String(s.value), quote(s.name), String(s.voxels), ...rounded(s), ...s.extent.flat().map(String)]);
  return [HEADER, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}

/**
 * mm³, mL, mean and SD as the CSV writes them (mm³ to 0.001, mL to the same precision, grey values to 4 decimals),
 * so a table that shows them agrees with its export.
 */
export function rounded(s: Pick<LabelStatistics, 'volumeMm3' | 'volumeMl' | 'mean' | 'sd'>): [string, string, string, string] {
  const fixed = (x: number, digits: number) => String(Number(x.toFixed(digits)));
  return [fixed(s.volumeMm3, 3), fixed(s.volumeMl, 6), fixed(s.mean, 4), fixed(s.sd, 4)];
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
