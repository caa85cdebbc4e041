/**
 * A fingerprint of where each label value lies (a hash of its voxel positions, and its voxel count), in one pass:
 * a label whose fingerprint did not change keeps the surface built for it, so painting one label rebuilds one.
 */
export function labelFingerprints(data: Uint8Array): Map<number, string> {
  const hashes = new Int32Array(256);
  const counts = new Uint32Array(256);
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (v === 0) continue;
    hashes[v] = (Math.imul(hashes[v]!, 31) + p) | 0;
    counts[v]++;
  }
  const prints = new Map<number, string>();
  for (let v = 1; v < 256; v++) if (counts[v]) prints.set(v, `${counts[v]}:${hashes[v]}`);
  return prints;
}
