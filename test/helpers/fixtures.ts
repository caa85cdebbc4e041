import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensors } from '../../core/model/safetensors.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const UNIVERSEG_FIXTURES = path.join(FIXTURES, 'universeg');

/** Tensors of a reference fixture file, by name. */
export function fixtureTensors(name: string): Map<string, { shape: number[]; data: Float32Array }> {
  const file = path.join(UNIVERSEG_FIXTURES, name);
  return readSafetensors(fs.readFileSync(file), file).tensors;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
