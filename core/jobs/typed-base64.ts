/** Typed arrays over the job channel, whose messages are JSON: their bytes as base64. */
export function toBase64(view: Uint8Array | Float32Array): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

export function uint8FromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Copied into a fresh buffer: a decoded Buffer may sit at an offset that is not a multiple of 4. */
export function float32FromBase64(text: string): Float32Array {
  return new Float32Array(uint8FromBase64(text).buffer);
}
