import { ioError } from '../util/io-error.js';
import { volumeFromItkImage } from './itk-image.js';
import { readItkImage } from './itk-io.js';
import { probeFile, type ProbeOptions } from './probe-file.js';
import type { Volume } from './volume.js';

export type ReadVolumeOptions = ProbeOptions;

/**
 * Reads one image file (NIfTI incl. .nii.gz and big-endian, NRRD/NHDR, MHA/MHD, PNG, TIFF, JPEG, a single DICOM
 * file, or another format itk-wasm knows) as grey values with its geometry. The header is checked first, so
 * truncated, 4D, vector or oversized images fail fast with `Error("<file>: <problem>")`.
 */
export async function readVolume(file: string, options: ReadVolumeOptions = {}): Promise<Volume> {
  const probe = await probeFile(file, options);
  const image = await readItkImage(file, probe.format);
  try {
    const volume = volumeFromItkImage(image, file);
    return probe.dicom?.modality ? { ...volume, modality: probe.dicom.modality } : volume;
  } catch (err) {
    throw ioError(file, err);
  }
}
