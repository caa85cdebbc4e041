/** What the NIfTI-1/2 (or Analyze 7.5) header says about shape and storage. */
export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[1..dim[0]]: x, y, z, t, then vector components. */
  dims: number[];
  datatype: number;
  bitsPerVoxel: number;
  /** Where voxel data starts: in this file for .nii, in the .img file for a .hdr/.img pair. */
  voxOffset: number;
  /** 'n+1'/'n+2' single file, 'ni1'/'ni2' header/image pair, '' Analyze 7.5. */
  magic: string;
}

/** Shortest prefix that holds a NIfTI-2 header (the longer of the two). */
export const NIFTI_HEADER_BYTES = 540;

const RGB_TYPES = new Set([128, 2304]); // RGB24, RGBA32
const COMPLEX_TYPES = new Set([32, 1792, 2048]);

/** Null when the bytes do not start with a NIfTI-1/2 or Analyze header (either byte order). */
export function parseNiftiHeader(bytes: Uint8Array): NiftiHeader | null {
  if (bytes.length < 348) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const littleEndian of [true, false]) {
    const sizeofHdr = view.getInt32(0, littleEndian);
    if (sizeofHdr === 348) {
      const dims = readDims((i) => view.getInt16(40 + 2 * i, littleEndian));
      if (!dims) return null;
      return {
        version: 1,
        littleEndian,
        dims,
        datatype: view.getInt16(70, littleEndian),
        bitsPerVoxel: view.getInt16(72, littleEndian),
        voxOffset: Math.max(0, Math.round(view.getFloat32(108, littleEndian))),
        magic: magicAt(bytes, 344),
      };
    }
    if (sizeofHdr === 540 && bytes.length >= NIFTI_HEADER_BYTES) {
      const dims = readDims((i) => Number(view.getBigInt64(16 + 8 * i, littleEndian)));
      if (!dims) return null;
      return {
        version: 2,
        littleEndian,
        dims,
        datatype: view.getInt16(12, littleEndian),
        bitsPerVoxel: view.getInt16(14, littleEndian),
        voxOffset: Number(view.getBigInt64(168, littleEndian)),
        magic: magicAt(bytes, 4),
      };
    }
  }
  return null;
}

function readDims(dim: (i: number) => number): number[] | null {
  const n = dim(0);
  if (n < 1 || n > 7) return null;
  const dims: number[] = [];
  for (let i = 1; i <= n; i++) dims.push(Math.max(1, dim(i)));
  return dims;
}

function magicAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 3)).replace(/\0/g, '');
}

/** Bytes of voxel data the header promises. */
export function niftiDataBytes(h: NiftiHeader): number {
  return (h.dims.reduce((a, b) => a * b, 1) * h.bitsPerVoxel) / 8;
}

/**
 * Why the engine cannot use this image, or null: it handles one grey (or RGB) value per voxel in at most 3
 * spatial dimensions.
 */
export function niftiUnsupported(h: NiftiHeader): string | null {
  const [, , , t = 1, ...vector] = h.dims;
  const components = vector.reduce((a, b) => a * b, 1);
  if (t > 1) return `4D image (${h.dims.join('x')}, ${t} time points) is not supported; split it into 3D volumes first`;
  if (components > 1) return `vector image (${components} components per voxel) is not supported`;
  if (COMPLEX_TYPES.has(h.datatype)) return 'complex-valued voxels are not supported';
  if (h.bitsPerVoxel <= 0 || (!RGB_TYPES.has(h.datatype) && h.bitsPerVoxel % 8 !== 0)) {
    return `unsupported NIfTI data type ${h.datatype} (${h.bitsPerVoxel} bits per voxel)`;
  }
  return null;
}
