/** The fields of a NRRD header (attached .nrrd or detached .nhdr) that say what and where the voxels are. */
export interface NrrdHeader {
  sizes: number[];
  /** Per-axis kinds ("domain", "RGB-color", "list", ...) when the header gives them. */
  kinds?: string[];
  bytesPerValue?: number;
  encoding: string;
  /** The detached data file as written in the header (relative to the header's folder), if any. */
  dataFile?: string;
  /** With `data file: LIST`: the data files named on the lines after it. */
  dataFileList: string[];
  /** Byte offset of attached data: just after the blank line that ends the header. */
  dataOffset?: number;
}

const COLOR_KINDS = new Set(['rgb-color', 'rgba-color', '3-color', '4-color']);
const SPATIAL_KINDS = new Set(['domain', 'space', 'time']);

/** Null when the bytes do not start with the NRRD magic. */
export function parseNrrdHeader(bytes: Uint8Array): NrrdHeader | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!/^NRRD000\d/.test(text)) return null;
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/).slice(1);
  const fields = new Map<string, string>();
  const dataFileList: string[] = [];
  for (const line of lines) {
    if (/^LIST\b/.test(fields.get('data file') ?? fields.get('datafile') ?? '')) {
      if (line.trim() !== '') dataFileList.push(line.trim());
      continue;
    }
    if (line.startsWith('#') || line.includes(':=')) continue;
    const colon = line.indexOf(': ');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 2).trim());
  }
  const sizes = (fields.get('sizes') ?? '').split(/\s+/).filter(Boolean).map(Number);
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  return {
    sizes,
    kinds: fields
      .get('kinds')
      ?.split(/\s+/)
      .map((k) => k.toLowerCase()),
    bytesPerValue: nrrdTypeBytes(fields.get('type') ?? ''),
    encoding: (fields.get('encoding') ?? 'raw').toLowerCase(),
    dataFile,
    dataFileList,
    dataOffset: end < 0 ? undefined : end + (text.slice(end, end + 4).match(/^\r?\n\r?\n/)?.[0].length ?? 2),
  };
}

function nrrdTypeBytes(type: string): number | undefined {
  const t = type.toLowerCase().replace(/_t$/, '');
  if (/^(u?char|signed char|unsigned char|u?int8)$/.test(t)) return 1;
  if (/short|^u?int16$/.test(t)) return 2;
  if (/^(u?int|unsigned int|signed int|u?int32|float)$/.test(t)) return 4;
  if (/long|^u?int64$|^double$/.test(t)) return 8;
  return undefined;
}

/**
 * Spatial sizes and colour components, or the reason the engine cannot use it (more than 3 spatial axes, or
 * several values per voxel that are not a colour, e.g. Slicer's overlapping segment layers).
 */
export function nrrdShape(h: NrrdHeader): { size: number[]; components: number } | { problem: string } {
  const kinds = h.kinds ?? h.sizes.map(() => 'domain');
  const size: number[] = [];
  let components = 1;
  for (let axis = 0; axis < h.sizes.length; axis++) {
    const kind = kinds[axis] ?? 'domain';
    const n = h.sizes[axis];
    if (!Number.isInteger(n) || n < 1) return { problem: `invalid NRRD sizes "${h.sizes.join(' ')}"` };
    if (SPATIAL_KINDS.has(kind)) size.push(n);
    else if (COLOR_KINDS.has(kind)) components *= n;
    else if (n > 1) return { problem: `${n} values per voxel along a "${kind}" axis (a vector or layered image) are not supported` };
  }
  const extra = size.slice(3).filter((n) => n > 1);
  if (extra.length > 0) return { problem: `${size.length}D image (${size.join('x')}) is not supported; only 2D and 3D images are` };
  if (size.length === 0) return { problem: 'NRRD header has no spatial axes' };
  return { size: size.slice(0, 3), components };
}
