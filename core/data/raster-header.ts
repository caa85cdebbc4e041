/** Width and height of a PNG or JPEG from its first bytes; null when the bytes are neither. */
export function parseRasterHeader(bytes: Uint8Array): { format: 'png' | 'jpeg'; width?: number; height?: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) {
    if (bytes.length < 24) return { format: 'png' };
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    let pos = 2;
    while (pos + 9 <= bytes.length && bytes[pos] === 0xff) {
      const marker = bytes[pos + 1];
      if (marker === 0xff) {
        pos += 1;
        continue;
      }
      // Start-of-frame markers hold the size; C4 (Huffman), C8 (reserved) and CC (arithmetic) are not frames.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: view.getUint16(pos + 5), width: view.getUint16(pos + 7) };
      }
      pos += 2 + view.getUint16(pos + 2);
    }
    return { format: 'jpeg' };
  }
  return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}
