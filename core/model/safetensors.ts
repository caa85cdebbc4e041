/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length, a
 * JSON header mapping each tensor name to {dtype, shape, data_offsets} plus an optional `__metadata__` string map,
 * then the raw little-endian tensor bytes. Model files carry their configuration in that metadata.
 */

/** A dense, row-major float tensor. */
export interface FloatTensor {
  shape: number[];
  data: Float32Array;
}

/** Element types we can widen to float32 without loss of meaning. */
export type FloatDtype = 'F32' | 'F16' | 'BF16' | 'F64';

export interface SafetensorsFile {
  tensors: Map<string, FloatTensor & { dtype: 'F32' }>;
  metadata: Record<string, string>;
}

const BYTES_PER_ELEMENT: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

export function bytesPerElement(dtype: FloatDtype): number {
  return BYTES_PER_ELEMENT[dtype];
}

export function isFloatDtype(dtype: unknown): dtype is FloatDtype {
  return typeof dtype === 'string' && Object.hasOwn(BYTES_PER_ELEMENT, dtype);
}

/**
 * Little-endian elements of `dtype` to a fresh Float32Array. Always copies, so the result is 4-byte aligned and
 * owns its buffer whatever the alignment of `bytes` (safetensors and zip entries make no alignment promise).
 */
export function decodeFloats(bytes: Uint8Array, dtype: FloatDtype): Float32Array {
  const count = bytes.byteLength / BYTES_PER_ELEMENT[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      // A byte copy is a little-endian decode on every platform Node runs on here (x64, arm64).
      new Uint8Array(out.buffer).set(bytes);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function isShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** Parses a safetensors file; F16/BF16/F64 tensors are widened to float32. `source` names the file in errors. */
export function readSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  function fail(problem: string): never {
    throw new Error(`${source}: invalid safetensors file: ${problem}`);
  }
  if (bytes.byteLength < 8) fail(`truncated: ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.byteLength - 8)) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.byteLength} bytes)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataLength = bytes.byteLength - dataStart;

  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: FloatDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail('__metadata__ is not an object');
      for (const [key, value] of Object.entries(entry)) {
        if (typeof value !== 'string') fail(`__metadata__.${key} is not a string`);
        metadata[key] = value;
      }
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
    if (!isFloatDtype(dtype)) fail(`tensor '${name}' has unsupported dtype ${JSON.stringify(dtype)}`);
    if (!isShape(shape)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isSafeInteger)) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin < 0 || end < begin || end > dataLength) {
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes`);
    }
    const expected = elementCount(shape) * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expected) {
      fail(`tensor '${name}' has ${end - begin} bytes but ${dtype} shape [${shape}] needs ${expected}`);
    }
    entries.push({ name, dtype, shape, begin, end });
  }

  const byOffset = [...entries].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    if (byOffset[i].begin < byOffset[i - 1].end) {
      fail(`tensors '${byOffset[i - 1].name}' and '${byOffset[i].name}' overlap`);
    }
  }

  const tensors: SafetensorsFile['tensors'] = new Map();
  for (const { name, dtype, shape, begin, end } of entries) {
    const data = decodeFloats(bytes.subarray(dataStart + begin, dataStart + end), dtype);
    tensors.set(name, { dtype: 'F32', shape, data });
  }
  return { tensors, metadata };
}

/**
 * Serialises float32 tensors in the map's order, then `__metadata__` (omitted when empty), as compact JSON padded
 * with spaces so the data starts 8-byte aligned. The same input always gives the same bytes.
 */
export function writeSafetensors(tensors: ReadonlyMap<string, FloatTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, { shape, data }] of tensors) {
    if (name === '__metadata__') throw new Error(`writeSafetensors: '__metadata__' cannot name a tensor`);
    if (!isShape(shape) || elementCount(shape) !== data.length) {
      throw new Error(`writeSafetensors: tensor '${name}' has ${data.length} values but shape [${shape}]`);
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let position = 8 + headerLength;
  for (const { data } of tensors.values()) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return out;
}
