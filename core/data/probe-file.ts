import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { headerDataFiles } from './data-files.js';
import { hasDicomMagic, NeedsWholeFile, parseDicomHeader, type DicomHeader } from './dicom-header.js';
import { ioError } from '../util/io-error.js';
import { readItkImage, type ImageFormat } from './itk-io.js';
import { parseMetaHeader } from './meta-header.js';
import { NIFTI_HEADER_BYTES, niftiDataBytes, niftiUnsupported, parseNiftiHeader, type NiftiHeader } from './nifti-header.js';
import { nrrdShape, parseNrrdHeader } from './nrrd-header.js';
import { parseRasterHeader } from './raster-header.js';

/** 512 Mi voxels: 2 GiB as Float32, about what a wasm32 reader and a desktop can still hold. */
export const MAX_VOXELS = 512 * 1024 * 1024;

export interface ProbeOptions {
  /** Refuse images with more voxels than this (default MAX_VOXELS). */
  maxVoxels?: number;
  /**
   * The folder every file an image leads to must lie in (a confined engine's root, an upload's own folder, a folder
   * the user picked): a header naming a data file elsewhere is refused before that file is looked at. Unset: anywhere.
   */
  within?: string;
}

/** What a file is, learnt from its extension and first bytes without decoding its voxels. */
export interface FileProbe {
  file: string;
  format: ImageFormat;
  size: [number, number, number];
  kind: 'volume' | 'image2d';
  /** Set for DICOM files: what groups them into series. */
  dicom?: DicomHeader;
  /** Files holding this header's voxels (.raw of a .mhd, .img of a .hdr), which are not images themselves. */
  companions: string[];
}

const PREFIX_BYTES = 65536;
// SOP classes that carry pixel data but are not images to segment.
const NON_IMAGE_SOP: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.66.4': 'a DICOM SEG segmentation',
  '1.2.840.10008.5.1.4.1.1.481.3': 'a DICOM RT structure set',
  '1.2.840.10008.5.1.4.1.1.11.1': 'a DICOM presentation state',
  '1.2.840.10008.5.1.4.1.1.104.1': 'an encapsulated PDF',
  '1.2.840.10008.1.3.10': 'a DICOMDIR',
};
// Extensions whose files must match their format's signature; a mismatch is worth saying.
const IMAGE_EXTENSIONS = ['.nii.gz', '.nii', '.hdr', '.nrrd', '.nhdr', '.mha', '.mhd', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.dcm'];
// Formats itk-wasm reads that the engine has no header parser for; their geometry comes from itk's header read.
const OTHER_EXTENSIONS = [
  '.bmp',
  '.gipl',
  '.gipl.gz',
  '.mgh',
  '.mgz',
  '.mgh.gz',
  '.mnc',
  '.mnc.gz',
  '.mnc2',
  '.mrc',
  '.vtk',
  '.hdf5',
  '.lsm',
  '.pic',
  '.isq',
  '.aim',
  '.fdf',
  '.iwi',
  '.iwi.cbor',
  '.iwi.cbor.zst',
  '.nia',
];

/** Probes a file; throws `Error("<file>: <why it is not a usable image>")`. */
export async function probeFile(file: string, options: ProbeOptions = {}): Promise<FileProbe> {
  try {
    return await inspect(file, options.maxVoxels ?? MAX_VOXELS, options.within);
  } catch (err) {
    throw ioError(file, err);
  }
}

async function inspect(file: string, limit: number, within: string | undefined): Promise<FileProbe> {
  const stat = await fs.stat(file);
  if (stat.isDirectory()) throw new Error('is a folder, not an image file (a DICOM series folder is read with readDicomSeries)');
  if (!stat.isFile()) throw new Error('not a regular file');
  if (stat.size === 0) throw new Error('empty file (0 bytes)');
  const head = await readPrefix(file, PREFIX_BYTES);
  const lower = file.toLowerCase();
  const base = { file, companions: [] as string[] };

  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (lower.endsWith('.nii.gz')) return probeNiftiGz(file, head, stat.size, limit);
    if (OTHER_EXTENSIONS.some((e) => lower.endsWith(e))) return probeWithItk(file, 'other', limit);
    throw new Error('gzip-compressed file that is not a .nii.gz image');
  }
  if (hasDicomMagic(head)) return probeDicom(file, head, stat.size, limit);
  const nrrd = parseNrrdHeader(head);
  if (nrrd) {
    const shape = nrrdShape(nrrd);
    if ('problem' in shape) throw new Error(shape.problem);
    const geometry = shape3(shape.size, limit);
    const voxelBytes = (nrrd.bytesPerValue ?? 0) * shape.components * shape.size.reduce((a, b) => a * b, 1);
    if (nrrd.dataFile) {
      base.companions.push(...(await dataFiles(file, nrrd.dataFile, nrrd.dataFileList, within, nrrd.encoding === 'raw' ? voxelBytes : 1)));
    } else if (nrrd.dataFile === undefined && nrrd.encoding === 'raw' && nrrd.dataOffset !== undefined) {
      requireSize(stat.size - nrrd.dataOffset, voxelBytes);
    }
    return { ...base, format: 'nrrd', ...geometry };
  }
  const nifti = parseNiftiHeader(head);
  if (nifti && (/^n\+[12]$/.test(nifti.magic) || lower.endsWith('.nii') || lower.endsWith('.hdr'))) {
    return probeNifti(file, nifti, stat.size, limit);
  }
  const raster = parseRasterHeader(head);
  if (raster) {
    if (raster.width === undefined || raster.height === undefined) return probeWithItk(file, raster.format, limit);
    return { ...base, format: raster.format, ...shape3([raster.width, raster.height], limit) };
  }
  if ((head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a) || (head[0] === 0x4d && head[1] === 0x4d && head[3] === 0x2a)) {
    return probeWithItk(file, 'tiff', limit);
  }
  if (lower.endsWith('.mha') || lower.endsWith('.mhd')) return probeMeta(file, head, stat.size, limit, within);
  if (lower.endsWith('.dcm') || path.extname(lower) === '') {
    if (head.length >= 8 && (head[0] === 0x08 || head[0] === 0x02) && head[1] === 0x00) return probeDicom(file, head, stat.size, limit);
  }
  if (OTHER_EXTENSIONS.some((e) => lower.endsWith(e))) return probeWithItk(file, 'other', limit);
  const ext = IMAGE_EXTENSIONS.find((e) => lower.endsWith(e));
  if (ext) throw new Error(`named ${ext} but its content is not a recognised image format`);
  throw new Error('not a recognised image format');
}

/** The 3D size and kind of an image, refused before any voxel is read if it has more than `limit` voxels. */
function shape3(size: number[], limit: number): { size: [number, number, number]; kind: 'volume' | 'image2d' } {
  const s: [number, number, number] = [size[0] ?? 1, size[1] ?? 1, size[2] ?? 1];
  const voxels = s[0] * s[1] * s[2];
  if (voxels > limit) throw new Error(`image of ${s.join('x')} = ${voxels} voxels exceeds the limit of ${limit} voxels`);
  return { size: s, kind: s[2] > 1 ? 'volume' : 'image2d' };
}

async function readPrefix(file: string, length: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function requireSize(available: number, needed: number): void {
  if (available < needed)
    throw new Error(`truncated: the header promises ${needed} bytes of voxels, only ${Math.max(0, available)} are there`);
}

/**
 * The data files a detached header names, each inside `within` (checked before any is opened). A single named
 * file must hold `needed` bytes; a list or pattern's files are left to the reader to check.
 */
async function dataFiles(header: string, spec: string, listed: string[], within: string | undefined, needed: number): Promise<string[]> {
  const files = await headerDataFiles(header, spec, listed, within);
  if (files.length === 1 && path.basename(files[0]!) === path.basename(spec.trim())) await requireBytes(files[0]!, needed, 'data file');
  return files;
}

async function requireBytes(file: string, needed: number, what: string): Promise<void> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch {
    throw new Error(`${what} ${path.basename(file)} named in the header is missing`);
  }
  if (size < needed) throw new Error(`truncated ${what} ${path.basename(file)}: ${needed} bytes expected, ${size} found`);
}

// Most DICOM files end with their uncompressed pixel data, so the first bytes settle them; the rest (compressed
// fragments, data after the pixels) needs the whole file walked.
async function probeDicom(file: string, head: Uint8Array, fileSize: number, limit: number): Promise<FileProbe> {
  let dicom: DicomHeader;
  try {
    dicom = parseDicomHeader(head, fileSize);
  } catch (err) {
    if (!(err instanceof NeedsWholeFile)) throw err;
    dicom = parseDicomHeader(await fs.readFile(file));
  }
  const nonImage = NON_IMAGE_SOP[dicom.sopClassUid ?? ''];
  if (nonImage) throw new Error(`${nonImage}, not an image`);
  if (!dicom.hasPixelData) throw new Error('DICOM file without image data');
  if (!dicom.rows || !dicom.columns) throw new Error('DICOM image without Rows/Columns');
  const frames = Math.max(1, dicom.numberOfFrames ?? 1);
  return { file, companions: [], format: 'dicom', dicom, ...shape3([dicom.columns, dicom.rows, frames], limit) };
}

function probeNiftiCommon(h: NiftiHeader, limit: number): ReturnType<typeof shape3> {
  const problem = niftiUnsupported(h);
  if (problem) throw new Error(problem);
  return shape3(h.dims.slice(0, 3), limit);
}

async function probeNifti(file: string, h: NiftiHeader, fileSize: number, limit: number): Promise<FileProbe> {
  const shape = probeNiftiCommon(h, limit);
  const companions: string[] = [];
  if (/^n\+[12]$/.test(h.magic)) {
    requireSize(fileSize - h.voxOffset, niftiDataBytes(h));
  } else {
    const img = await findImgCompanion(file);
    await requireBytes(img, img.endsWith('.gz') ? 1 : h.voxOffset + niftiDataBytes(h), 'image file');
    companions.push(img);
  }
  return { file, companions, format: 'nifti', ...shape };
}

async function findImgCompanion(hdr: string): Promise<string> {
  const stem = hdr.slice(0, -4);
  for (const ext of ['.img', '.IMG', '.img.gz']) {
    if (
      await fs.stat(stem + ext).then(
        () => true,
        () => false,
      )
    )
      return stem + ext;
  }
  return `${stem}.img`;
}

/**
 * The gzip trailer stores the uncompressed length (mod 2^32); when it matches what the header promises, the file
 * is complete. Only on a mismatch (truncation, or a multi-member gzip) is the whole stream inflated to decide.
 */
async function probeNiftiGz(file: string, head: Uint8Array, fileSize: number, limit: number): Promise<FileProbe> {
  let inflated: Buffer;
  try {
    inflated = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (err) {
    throw new Error(`corrupt gzip data (${(err as Error).message})`, { cause: err });
  }
  if (inflated.length < 348) throw new Error('truncated: the gzip stream ends before the NIfTI header does');
  const h = parseNiftiHeader(inflated.subarray(0, NIFTI_HEADER_BYTES));
  if (!h) throw new Error('.nii.gz file does not hold a NIfTI header');
  const shape = probeNiftiCommon(h, limit);
  const expected = h.voxOffset + niftiDataBytes(h);
  const handle = await fs.open(file, 'r');
  const trailer = Buffer.alloc(4);
  try {
    await handle.read(trailer, 0, 4, fileSize - 4);
  } finally {
    await handle.close();
  }
  if (trailer.readUInt32LE(0) !== expected % 2 ** 32) {
    const actual = await inflatedLength(file);
    requireSize(actual - h.voxOffset, niftiDataBytes(h));
  }
  return { file, companions: [], format: 'nifti', ...shape };
}

function inflatedLength(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let total = 0;
    createReadStream(file)
      .pipe(zlib.createGunzip())
      .on('data', (chunk: Buffer) => {
        total += chunk.length;
      })
      .on('end', () => resolve(total))
      .on('error', (err: Error) => reject(new Error(`truncated or corrupt gzip data (${err.message})`)));
  });
}

async function probeMeta(file: string, head: Uint8Array, fileSize: number, limit: number, within: string | undefined): Promise<FileProbe> {
  const h = parseMetaHeader(head);
  if (!h) throw new Error('not a MetaImage header (no DimSize or ElementDataFile)');
  if (h.dimSize.slice(3).some((n) => n > 1))
    throw new Error(`${h.dimSize.length}D image (${h.dimSize.join('x')}) is not supported; only 2D and 3D images are`);
  if (h.channels > 1 && h.channels !== 3 && h.channels !== 4)
    throw new Error(`vector image (${h.channels} components per voxel) is not supported`);
  const geometry = shape3(h.dimSize, limit);
  const voxelBytes = (h.bytesPerValue ?? 0) * h.channels * h.dimSize.reduce((a, b) => a * b, 1);
  if (h.elementDataFile.toUpperCase() === 'LOCAL') {
    if (!h.compressed) requireSize(fileSize, voxelBytes);
    return { file, companions: [], format: 'meta', ...geometry };
  }
  const companions = await dataFiles(file, h.elementDataFile, h.dataFileList, within, h.compressed ? 1 : voxelBytes);
  return { file, companions, format: 'meta', ...geometry };
}

async function probeWithItk(file: string, format: ImageFormat, limit: number): Promise<FileProbe> {
  const image = await readItkImage(file, format, true);
  const { components, pixelType } = image.imageType;
  if (components > 2 && pixelType !== 'RGB' && pixelType !== 'RGBA') {
    throw new Error(`${pixelType} pixels with ${components} components are not supported`);
  }
  if (image.size.slice(3).some((n) => n > 1)) throw new Error(`${image.size.length}D image is not supported`);
  return { file, companions: [], format, ...shape3(image.size, limit) };
}
