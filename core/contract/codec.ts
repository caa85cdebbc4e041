/**
 * How API values cross HTTP. Plain values travel as JSON. A value holding typed arrays (a slice, an upload) travels
 * as one frame, so a 512x512 float slice costs 1 MiB, not 5 MiB of JSON numbers or base64:
 *
 *   "USG1" | uint32 LE header length | header JSON | zero padding to 8 | array 0 | padding to 8 | array 1 ...
 *
 * The header is {value, arrays: [{type, byteLength}]}, where each typed array inside `value` was replaced by
 * {"$array": n}. Runs in Node and in the browser (no Buffer, no DOM).
 */

export const JSON_TYPE = 'application/json';
export const FRAME_TYPE = 'application/x-universeg-frame';

const MAGIC = [0x55, 0x53, 0x47, 0x31]; // "USG1"

const arrayTypes = {
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type ArrayTypeName = keyof typeof arrayTypes;
type AnyTypedArray = InstanceType<(typeof arrayTypes)[ArrayTypeName]>;

interface FrameHeader {
  value: unknown;
  arrays: { type: ArrayTypeName; byteLength: number }[];
}

export interface EncodedBody {
  contentType: typeof JSON_TYPE | typeof FRAME_TYPE;
  body: Uint8Array;
}

export function encodeBody(value: unknown): EncodedBody {
  const arrays: AnyTypedArray[] = [];
  const replaced = replaceArrays(value, arrays);
  if (arrays.length === 0) return { contentType: JSON_TYPE, body: new TextEncoder().encode(JSON.stringify(value)) };

  const header: FrameHeader = { value: replaced, arrays: arrays.map((a) => ({ type: typeName(a), byteLength: a.byteLength })) };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let total = align8(8 + headerBytes.length);
  const offsets = arrays.map((a) => {
    const at = total;
    total = align8(total + a.byteLength);
    return at;
  });
  const body = new Uint8Array(total);
  body.set(MAGIC, 0);
  new DataView(body.buffer).setUint32(4, headerBytes.length, true);
  body.set(headerBytes, 8);
  arrays.forEach((a, n) => body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offsets[n]!));
  return { contentType: FRAME_TYPE, body };
}

/** Inverse of encodeBody. Throws a plain Error with a reason when the bytes are not what the type says. */
export function decodeBody(contentType: string | null | undefined, bytes: Uint8Array): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === JSON_TYPE) {
    const text = new TextDecoder().decode(bytes);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new Error('body is not valid JSON');
    }
  }
  if (type === FRAME_TYPE) return decodeFrame(bytes);
  throw new Error(`unsupported content type ${JSON.stringify(contentType ?? '')} (use ${JSON_TYPE} or ${FRAME_TYPE})`);
}

function decodeFrame(bytes: Uint8Array): unknown {
  const layout = frameLayout(bytes, bytes.length);
  const arrays = layout.arrays.map(({ type, start, byteLength }) => {
    const Ctor = arrayTypes[type];
    // A copy into a fresh buffer, aligned for its element type. (Not bytes.slice: on a Node Buffer that is a view
    // into a shared pool, whose .buffer starts elsewhere.)
    const copy = new Uint8Array(bytes.subarray(start, start + byteLength));
    return new Ctor(copy.buffer, 0, byteLength / Ctor.BYTES_PER_ELEMENT);
  });
  return restoreArrays(layout.value, arrays);
}

export interface FrameLayout {
  /** The value with each typed array still a {"$array": n} reference. */
  value: unknown;
  /** Where each array's bytes lie in the body. */
  arrays: { type: ArrayTypeName; start: number; byteLength: number }[];
}

/** The largest frame header the server reads (the header names arrays; it never holds their bytes). */
export const MAX_FRAME_HEADER_BYTES = 1 << 20;

/**
 * Reads a frame's header from its first bytes (`head` must hold at least the header) and checks that every array
 * fits a body of `totalLength` bytes, so a body on disk can be split without being read whole.
 */
export function frameLayout(head: Uint8Array, totalLength: number): FrameLayout {
  if (head.length < 8 || MAGIC.some((m, n) => head[n] !== m)) throw new Error('body is not a universeg frame');
  const headerLength = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true);
  if (8 + headerLength > totalLength || 8 + headerLength > head.length) throw new Error('frame header runs past the end of the body');
  let header: FrameHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(head.subarray(8, 8 + headerLength))) as FrameHeader;
  } catch {
    throw new Error('frame header is not valid JSON');
  }
  if (!Array.isArray(header?.arrays)) throw new Error('frame header lists no arrays');
  let at = align8(8 + headerLength);
  const arrays = header.arrays.map((entry: Partial<FrameHeader['arrays'][number]> | null) => {
    const { type, byteLength } = entry ?? {};
    const Ctor = typeof type === 'string' && Object.hasOwn(arrayTypes, type) ? arrayTypes[type] : undefined;
    if (!Ctor || type === undefined) throw new Error(`frame holds an array of unknown type ${JSON.stringify(type)}`);
    if (
      typeof byteLength !== 'number' ||
      !Number.isInteger(byteLength) ||
      byteLength < 0 ||
      byteLength % Ctor.BYTES_PER_ELEMENT !== 0 ||
      at + byteLength > totalLength
    ) {
      throw new Error(`frame array of ${byteLength} bytes does not fit the body`);
    }
    const start = at;
    at = align8(at + byteLength);
    return { type, start, byteLength };
  });
  return { value: header.value, arrays };
}

function replaceArrays(value: unknown, out: AnyTypedArray[]): unknown {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) throw new Error('DataView cannot be sent; use a typed array');
    out.push(value as AnyTypedArray);
    return { $array: out.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => replaceArrays(v, out));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceArrays(v, out)]));
  }
  return value;
}

/** Puts `arrays[n]` where the value says {"$array": n}: typed arrays, or whatever stands for them (a file range). */
export function restoreArrays(value: unknown, arrays: readonly unknown[]): unknown {
  if (Array.isArray(value)) return value.map((v) => restoreArrays(v, arrays));
  if (value !== null && typeof value === 'object') {
    const ref = (value as { $array?: unknown }).$array;
    if (typeof ref === 'number' && Object.keys(value).length === 1) {
      const array = arrays[ref];
      if (array === undefined) throw new Error(`frame refers to missing array ${ref}`);
      return array;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreArrays(v, arrays)]));
  }
  return value;
}

/** By instanceof, not constructor name, so a Node Buffer travels as the Uint8Array it is. */
function typeName(array: AnyTypedArray): ArrayTypeName {
  const entry = Object.entries(arrayTypes).find(([, Ctor]) => array instanceof Ctor);
  if (!entry) throw new Error(`${array.constructor.name} cannot be sent`);
  return entry[0] as ArrayTypeName;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
