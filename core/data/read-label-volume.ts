import { ioError } from '../util/io-error.js';
import { volumeFromItkImage } from './itk-image.js';
import { readItkImage } from './itk-io.js';
import { probeFile, type ProbeOptions } from './probe-file.js';
import type { LabelVolume } from './volume.js';

/**
 * Reads a label map (NIfTI, NRRD incl. .seg.nrrd with one layer, MHA/MHD, PNG, ...). Every voxel must hold a
 * whole number 0..255; anything else (a probability map, an intensity image, labels above 255) is refused.
 */
export async function readLabelVolume(file: string, options: ProbeOptions = {}): Promise<LabelVolume> {
  const probe = await probeFile(file, options);
  const image = await readItkImage(file, probe.format);
  if (image.imageType.components !== 1) {
    throw ioError(file, `a label map has one value per voxel, this image has ${image.imageType.components} (${image.imageType.pixelType})`);
  }
  try {
    const { data: values, ...geometry } = volumeFromItkImage(image, file);
    const data = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 255 && Number.isInteger(v))) {
        const [x, y] = geometry.size;
        const at = `(${i % x}, ${Math.floor(i / x) % y}, ${Math.floor(i / (x * y))})`;
        throw new Error(`label maps hold whole numbers 0..255, found ${v} at voxel ${at}`);
      }
      data[i] = v;
    }
    return { data, ...geometry };
  } catch (err) {
    throw ioError(file, err);
  }
}
