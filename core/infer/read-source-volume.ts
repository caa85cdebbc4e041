import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { readDicomSeries } from '../data/read-dicom-series.js';
import { readVolume } from '../data/read-volume.js';
import type { Volume } from '../data/volume.js';

/** An image file, or a folder holding one DICOM series. */
export async function readSourceVolume(location: string): Promise<Volume> {
  // Absolute: itk-wasm fails to read some relative paths (e.g. 'sub/dir/a.png').
  location = path.resolve(location);
  const stat = await fs.stat(location).catch((err: unknown) => {
    throw ioError(location, err);
  });
  return stat.isDirectory() ? readDicomSeries(location) : readVolume(location);
}
