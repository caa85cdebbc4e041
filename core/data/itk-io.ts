import fs from 'node:fs/promises';
import path from 'node:path';
import {
  gdcmReadImageNode,
  jpegReadImageNode,
  metaReadImageNode,
  metaWriteImageNode,
  niftiReadImageNode,
  niftiWriteImageNode,
  nrrdReadImageNode,
  nrrdWriteImageNode,
  pngReadImageNode,
  pngWriteImageNode,
  readImageNode,
  tiffReadImageNode,
} from '@itk-wasm/image-io';
import type { Image } from 'itk-wasm';
import { ioError } from '../util/io-error.js';
import { tempFolderPrefix } from '../util/temp-files.js';

/** Image formats the engine tells apart itself; 'other' is any further format itk-wasm picks by extension. */
export type ImageFormat = 'nifti' | 'nrrd' | 'meta' | 'png' | 'jpeg' | 'tiff' | 'dicom' | 'other';

type Reader = (file: string, options: { informationOnly?: boolean }) => Promise<{ couldRead: unknown; image: Image }>;

// Going straight to the format's pipeline skips itk-wasm's trial of every reader for unknown extensions
// (DICOM files often have none) and makes a .dcm-less DICOM or a .seg.nrrd read like any other.
const READERS: Record<Exclude<ImageFormat, 'other'>, Reader> = {
  nifti: niftiReadImageNode,
  nrrd: nrrdReadImageNode,
  meta: metaReadImageNode,
  png: pngReadImageNode,
  jpeg: jpegReadImageNode,
  tiff: tiffReadImageNode,
  dicom: gdcmReadImageNode,
};

/**
 * Runs an itk-wasm pipeline call without letting it change process.exitCode: in Node, a pipeline that fails
 * sets it to 1 (Emscripten's exit handler), so a handled read error would still fail the whole process.
 */
export async function withItk<T>(call: () => Promise<T>): Promise<T> {
  const exitCode = process.exitCode;
  try {
    return await call();
  } finally {
    process.exitCode = exitCode;
  }
}

/** Decodes one file with itk-wasm; every failure becomes `Error("<file>: <problem>")`. */
export async function readItkImage(file: string, format: ImageFormat, informationOnly = false): Promise<Image> {
  // itk-wasm mounts the file's folder in its virtual file system and fails on relative paths.
  const absolute = path.resolve(file);
  try {
    if (format === 'other') return await withItk(() => readImageNode(absolute, { informationOnly }));
    const { couldRead, image } = await withItk(() => READERS[format](absolute, { informationOnly }));
    if (!couldRead) throw new Error(`not readable as ${format.toUpperCase()}`);
    return image;
  } catch (err) {
    throw ioError(file, err);
  }
}

export type WriteFormat = 'nifti' | 'nrrd' | 'meta' | 'png';

const WRITERS = {
  nifti: niftiWriteImageNode,
  nrrd: nrrdWriteImageNode,
  meta: metaWriteImageNode,
  png: pngWriteImageNode,
} satisfies Record<WriteFormat, unknown>;

/**
 * Encodes an image into the bytes of a file named `fileName` (its extension picks e.g. gzip for .nii.gz).
 * itk-wasm pipelines can only write to a path, so this goes through a private temporary folder; the caller
 * then writes the bytes atomically where they belong.
 */
export async function encodeItkImage(image: Image, format: WriteFormat, fileName: string, compress: boolean): Promise<Uint8Array> {
  const dir = await fs.mkdtemp(tempFolderPrefix('encode'));
  const file = path.join(dir, fileName);
  try {
    const { couldWrite } = await withItk(() => WRITERS[format](image, file, { useCompression: compress }));
    if (!couldWrite) throw new Error(`itk-wasm could not write ${format.toUpperCase()}`);
    return new Uint8Array(await fs.readFile(file));
  } catch (err) {
    throw ioError(fileName, err);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
