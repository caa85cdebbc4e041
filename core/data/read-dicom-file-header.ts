import fs from 'node:fs/promises';
import { hasDicomMagic, NeedsWholeFile, parseDicomHeader, type DicomHeader } from './dicom-header.js';

// Most DICOM files end with their uncompressed pixel data, so the first bytes settle them.
const PREFIX_BYTES = 65536;

/**
 * The header of a DICOM Part 10 file, or null when the file does not start like one ("DICM" after the preamble).
 * Throws a plain Error naming what is wrong with a broken or truncated DICOM file; the caller adds the file name.
 */
export async function readDicomFileHeader(file: string): Promise<DicomHeader | null> {
  const handle = await fs.open(file, 'r');
  let head: Uint8Array;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = new Uint8Array(Math.min(size, PREFIX_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (!hasDicomMagic(head)) return null;
  try {
    return parseDicomHeader(head, size);
  } catch (err) {
    if (!(err instanceof NeedsWholeFile)) throw err;
    return parseDicomHeader(await fs.readFile(file));
  }
}
