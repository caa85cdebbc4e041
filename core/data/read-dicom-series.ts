import fs from 'node:fs/promises';
import path from 'node:path';
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom';
import { ioError } from '../util/io-error.js';
import { volumeFromItkImage } from './itk-image.js';
import { withItk } from './itk-io.js';
import { mapLimit } from './map-limit.js';
import { MAX_VOXELS, probeFile, type FileProbe, type ProbeOptions } from './probe-file.js';
import type { Volume } from './volume.js';

/**
 * Reads one DICOM series into a volume, slices ordered along the slice normal by GDCM, with the series' spacing,
 * origin and direction. `input` is a folder (its DICOM files; other files are ignored), one file, or the list of
 * files of the series (as scanStudy returns it). Several series in the input is an error, not a guess.
 */
export async function readDicomSeries(input: string | readonly string[], options: ProbeOptions = {}): Promise<Volume> {
  const { source, files, fromFolder } = await listInput(input);
  // Probing with an unlimited voxel budget: the limit applies to the whole series, checked below.
  const probes = await mapLimit(files, 8, async (file) => {
    try {
      return await probeFile(file, { maxVoxels: Infinity });
    } catch (err) {
      if (fromFolder) return null;
      throw err;
    }
  });
  const dicoms = probes.filter((p): p is FileProbe => p?.format === 'dicom');
  if (dicoms.length === 0) throw ioError(source, fromFolder ? 'no readable DICOM images in this folder' : 'not a DICOM file');
  const notDicom = probes.find((p) => p && p.format !== 'dicom');
  if (!fromFolder && notDicom) throw ioError(notDicom.file, 'not a DICOM file');

  const series = new Map<string, FileProbe[]>();
  for (const p of dicoms) {
    const uid = p.dicom?.seriesInstanceUid ?? '';
    series.set(uid, [...(series.get(uid) ?? []), p]);
  }
  if (series.size > 1) {
    const names = [...series.values()].map(
      (s) => `"${s[0].dicom?.seriesDescription ?? s[0].dicom?.seriesInstanceUid}" (${s.length} files)`,
    );
    throw ioError(source, `holds ${series.size} DICOM series: ${names.join(', ')}; pass the files of one series`);
  }
  const voxels = dicoms.reduce((sum, p) => sum + p.size[0] * p.size[1] * p.size[2], 0);
  const limit = options.maxVoxels ?? MAX_VOXELS;
  if (voxels > limit) throw ioError(source, `series of ${voxels} voxels exceeds the limit of ${limit} voxels`);

  try {
    const { outputImage } = await withItk(() => readImageDicomFileSeriesNode({ inputImages: dicoms.map((p) => p.file) }));
    const volume = volumeFromItkImage(outputImage, source);
    const modality = dicoms[0].dicom?.modality;
    return modality ? { ...volume, modality } : volume;
  } catch (err) {
    throw ioError(source, err);
  }
}

async function listInput(input: string | readonly string[]): Promise<{ source: string; files: string[]; fromFolder: boolean }> {
  if (typeof input !== 'string') {
    if (input.length === 0) throw new Error('readDicomSeries: no files given');
    return { source: path.dirname(path.resolve(input[0])), files: input.map((f) => path.resolve(f)), fromFolder: false };
  }
  const source = path.resolve(input);
  let entries;
  try {
    if (!(await fs.stat(source)).isDirectory()) return { source, files: [source], fromFolder: false };
    entries = await fs.readdir(source, { withFileTypes: true });
  } catch (err) {
    throw ioError(source, err);
  }
  const files = entries
    .filter((e) => !e.name.startsWith('.') && !e.isDirectory())
    .map((e) => path.join(source, e.name))
    .sort();
  return { source, files, fromFolder: true };
}
