/**
 * Reads the float tensors of a PyTorch checkpoint in the zip format `torch.save` writes since 1.6 (the format of
 * the published UniverSeg weights): `<archive>/data.pkl` pickles the object, each storage lies in
 * `<archive>/data/<key>` and is referenced from the pickle by a persistent id.
 */
import { unzipSync } from 'fflate';
import { unpickle } from './pickle.js';
import { bytesPerElement, decodeFloats, type FloatDtype, type FloatTensor } from './safetensors.js';

const STORAGE_DTYPES: Record<string, FloatDtype> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  DoubleStorage: 'F64',
  BFloat16Storage: 'BF16',
};

/** Keys under which training scripts commonly nest the state dict beside optimizer state, epoch, etc. */
const NESTED_STATE_DICT_KEYS = ['state_dict', 'model_state_dict', 'model', 'net'];

class StorageType {
  constructor(readonly dtype: FloatDtype) {}
}

class StorageRef {
  constructor(
    readonly dtype: FloatDtype,
    readonly key: string,
    readonly numel: number,
  ) {}
}

/** A view into a storage; its values are only read for the tensors returned, not e.g. for optimizer state. */
class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isIndexArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isIndex);

export function readTorchCheckpoint(bytes: Uint8Array, source: string): Map<string, FloatTensor> {
  function fail(problem: string): never {
    throw new Error(`${source}: ${problem}`);
  }
  if (bytes[0] === 0x80) fail('legacy (pre-1.6) torch.save format is not supported; re-save it with torch >= 1.6');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    fail(`not a readable PyTorch zip checkpoint (${(e as Error).message})`);
  }
  const pickleName = Object.keys(files).find((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (!pickleName) fail('not a PyTorch checkpoint: the zip has no <archive>/data.pkl');
  const archive = pickleName.slice(0, -'/data.pkl'.length);
  const byteorder = files[`${archive}/byteorder`];
  if (byteorder && new TextDecoder().decode(byteorder).trim() !== 'little') fail('big-endian storages are not supported');

  const root = unpickle(files[pickleName], {
    source,
    resolveGlobal(module, name) {
      if (module === 'collections' && name === 'OrderedDict') return () => new Map();
      if (module === 'torch' && Object.hasOwn(STORAGE_DTYPES, name)) return new StorageType(STORAGE_DTYPES[name]);
      if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return rebuildTensor;
      if (module === 'torch._utils' && name === '_rebuild_parameter') return (data: unknown) => data;
      return undefined;
    },
    persistentLoad(pid) {
      const [kind, type, key, , numel] = Array.isArray(pid) ? pid : [];
      if (kind !== 'storage' || !(type instanceof StorageType) || typeof key !== 'string' || !isIndex(numel)) {
        fail(`unsupported persistent id ${JSON.stringify(pid)}`);
      }
      return new StorageRef(type.dtype, key, numel);
    },
  });

  function rebuildTensor(storage: unknown, offset: unknown, shape: unknown, stride: unknown): TensorRef {
    if (!(storage instanceof StorageRef) || !isIndex(offset) || !isIndexArray(shape) || !isIndexArray(stride)) {
      fail('malformed _rebuild_tensor_v2 arguments');
    }
    if (shape.length !== stride.length) fail(`tensor shape [${shape}] and stride [${stride}] differ in rank`);
    const last = shape.reduce((end, d, i) => (d === 0 ? -Infinity : end + (d - 1) * stride[i]), offset);
    if (last >= storage.numel) fail(`tensor view [${shape}] runs past its storage ${storage.key} (${storage.numel})`);
    return new TensorRef(storage, offset, shape, stride);
  }

  const decoded = new Map<string, Float32Array>();
  function storageValues({ dtype, key, numel }: StorageRef): Float32Array {
    let values = decoded.get(key);
    if (!values) {
      const data = files[`${archive}/data/${key}`];
      if (!data) fail(`storage ${archive}/data/${key} is missing`);
      if (data.byteLength !== numel * bytesPerElement(dtype)) {
        fail(`storage ${archive}/data/${key} has ${data.byteLength} bytes, expected ${numel} ${dtype} values`);
      }
      values = decodeFloats(data, dtype);
      decoded.set(key, values);
    }
    return values;
  }

  const tensors = new Map<string, FloatTensor>();
  for (const [name, ref] of findStateDict(root) ?? fail('found no state dict of tensors')) {
    tensors.set(name, { shape: ref.shape, data: contiguous(storageValues(ref.storage), ref) });
  }
  return tensors;
}

function tensorEntries(value: unknown): [string, TensorRef][] {
  if (!(value instanceof Map)) return [];
  return [...value].filter((e): e is [string, TensorRef] => typeof e[0] === 'string' && e[1] instanceof TensorRef);
}

function findStateDict(root: unknown): [string, TensorRef][] | undefined {
  const top = tensorEntries(root);
  if (top.length > 0) return top;
  for (const key of NESTED_STATE_DICT_KEYS) {
    const nested = tensorEntries(root instanceof Map ? root.get(key) : undefined);
    if (nested.length > 0) return nested;
  }
  return undefined;
}

/** Copies a strided view out of its storage in row-major order. */
function contiguous(values: Float32Array, { offset, shape, stride }: TensorRef): Float32Array {
  const count = shape.reduce((n, d) => n * d, 1);
  const rowMajor = shape.every((_, i) => shape[i] === 1 || stride[i] === shape.slice(i + 1).reduce((n, d) => n * d, 1));
  if (rowMajor) return values.slice(offset, offset + count);
  const out = new Float32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let at = offset;
  for (let i = 0; i < count; i++) {
    out[i] = values[at];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      at += stride[axis];
      if (++index[axis] < shape[axis]) break;
      at -= stride[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}
