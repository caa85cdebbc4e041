/**
 * One 32-bit seed from several integers (FNV-1a over their bytes). Every task, cell and query of an evaluation
 * draws from its own stream, so changing one part of a run (fewer queries, another support size) leaves the
 * draws of every other part as they were.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let v = part >>> 0;
    for (let b = 0; b < 4; b++) {
      h = Math.imul(h ^ (v & 0xff), 0x01000193) >>> 0;
      v >>>= 8;
    }
  }
  return h;
}

/** FNV-1a over bytes, continuing from `seed`: a cheap fingerprint of a mask or a name, not a cryptographic hash. */
export function hashBytes(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}
