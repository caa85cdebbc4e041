import fs from 'node:fs';
import path from 'node:path';
import { readDicomSeries } from '../../../core/data/read-dicom-series.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { SERIES_DIR } from './io-fixtures.js';

/**
 * The MR series fixture's files in name order and a two-label map on its grid (1 where the grey value is above
 * 600, 2 above 400): what a DICOM SEG is written for.
 */
export async function seriesWithTwoLabels(): Promise<{ files: string[]; labels: LabelVolume }> {
  const files = fs
    .readdirSync(SERIES_DIR)
    .sort()
    .map((f) => path.join(SERIES_DIR, f));
  const series = await readDicomSeries(SERIES_DIR);
  const labels: LabelVolume = { ...series, data: new Uint8Array(series.data.length) };
  for (let i = 0; i < labels.data.length; i++) labels.data[i] = series.data[i]! > 600 ? 1 : series.data[i]! > 400 ? 2 : 0;
  return { files, labels };
}
