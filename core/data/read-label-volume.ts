import fs from 'node:fs/promises';
import { ioError } from '../util/io-error.js';
import { decodeIndexedPng } from './decode-indexed-png.js';
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
  const read = await readItkImage(file, probe.format);
  // itk-wasm gives an indexed PNG (a multi-label 2D map, write-png-mask.ts) as RGB: its indices are the labels.
  const indexed = probe.format === 'png' && read.imageType.components !== 1 ? await paletteIndices(file) : undefined;
  const image = indexed ? { ...read, data: indexed, imageType: { ...read.imageType, components: 1, pixelType: 'Scalar' as const } } : read;
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

async function paletteIndices(file: string): Promise<Uint8Array | undefined> {
  try {
    return decodeIndexedPng(await fs.readFile(file))?.indices;
  } catch (err) {
    throw ioError(file, err);
  }
}
