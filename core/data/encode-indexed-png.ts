import zlib from 'node:zlib';

/**
 * An indexed (palette) PNG: bit depth 8, colour type 3, one byte per pixel that is its palette index, so a label
 * map keeps its label values as pixel values and shows in their colours in any image viewer.
 *
 * Written here because itk-wasm's PNG writer (ITK's PNGImageIO) writes grey or RGB only, never a palette. The
 * format needs four chunks (PNG spec, ISO/IEC 15948): IHDR, PLTE, IDAT (the zlib-deflated rows, each led by
 * filter type 0) and IEND, each as length, type, data and a CRC-32 of type and data.
 */
export function encodeIndexedPng(
  indices: Uint8Array,
  width: number,
  height: number,
  palette: readonly (readonly [number, number, number])[],
): Uint8Array {
  if (indices.length !== width * height) throw new RangeError(`${indices.length} pixels, ${width}x${height} needs ${width * height}`);
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`a PNG palette holds 1..256 colours, not ${palette.length}`);
  for (const v of indices)
    if (v >= palette.length) throw new RangeError(`pixel value ${v} has no colour in a palette of ${palette.length}`);

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (indexed), deflate, adaptive filtering, no interlace
  const rows = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) rows.set(indices.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('PLTE', Uint8Array.from(palette.flat())),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'ascii'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

// CRC-32 (polynomial 0xEDB88320) as PNG chunks need it: node:zlib has crc32 only from Node 20.15, below our >=20.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
