import zlib from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The palette indices of an indexed (colour type 3) PNG, one byte per pixel in row order; undefined for any other
 * PNG. Label maps are written this way (encode-indexed-png.ts), but itk-wasm's PNG reader expands a palette to RGB,
 * so the label values would be lost: this reads them back. Bit depths 1, 2, 4 and 8 and all five row filters (PNG
 * spec, ISO/IEC 15948) are handled; an interlaced file is refused. Throws with the problem, for the caller to name
 * the file.
 */
export function decodeIndexedPng(bytes: Uint8Array): { indices: Uint8Array; width: number; height: number } | undefined {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [depth, colourType, , , interlace] = bytes.subarray(24, 29);
  if (colourType !== 3) return undefined;
  if (interlace !== 0) throw new Error('an interlaced indexed PNG is not supported; save it without interlacing');
  const idat: Uint8Array[] = [];
  for (let at = 8; ;) {
    if (at + 8 > bytes.length) throw new Error('the PNG ends before its IEND chunk (cut short?)');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw new Error(`PNG chunk ${type} runs past the end of the file (cut short?)`);
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const stride = Math.ceil((width * depth!) / 8);
  let raw: Uint8Array;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new Error(`PNG image data cannot be inflated: ${(err as Error).message}`, { cause: err });
  }
  if (raw.length < (stride + 1) * height)
    throw new Error(`PNG image data holds ${raw.length} bytes, ${width}x${height} needs ${(stride + 1) * height}`);
  const rows = unfilter(raw, stride, height);
  const indices = new Uint8Array(width * height);
  const perByte = 8 / depth!;
  const mask = (1 << depth!) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = rows[y * stride + Math.floor(x / perByte)]!;
      indices[y * width + x] = (byte >> ((perByte - 1 - (x % perByte)) * depth!)) & mask;
    }
  }
  return { indices, width, height };
}

/** Undoes each row's filter; below 8 bits per pixel a filter's "pixel to the left" is the byte to the left. */
function unfilter(raw: Uint8Array, stride: number, height: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x > 0 ? out[row + x - 1]! : 0;
      const b = y > 0 ? out[row - stride + x]! : 0;
      const c = x > 0 && y > 0 ? out[row - stride + x - 1]! : 0;
      out[row + x] = (line[x]! + predict(filter, a, b, c, y)) & 0xff;
    }
  }
  return out;
}

function predict(filter: number, a: number, b: number, c: number, y: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4:
      return paeth(a, b, c);
    default:
      throw new Error(`PNG row ${y} has filter type ${filter}, which does not exist (corrupt file?)`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
