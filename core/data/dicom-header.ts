import zlib from 'node:zlib';

/**
 * The few DICOM attributes a study scan (and a DICOM SEG's reader) needs, read without decoding any pixel data.
 *
 * Not @itk-wasm/dicom's readDicomTagsNode: it runs a GDCM pipeline in WebAssembly per file, 564 ms a file against
 * 2.4 ms here on the build machine (the 16 files of test/fixtures/viewer/dicom_mr, whole files read, after its 1.2 s
 * first load), so a 300-file series would take minutes to scan; and a truncated or broken file reaches it as a
 * bare number thrown by GDCM, where the walk below names what is wrong before any decoder sees the file.
 */
export interface DicomHeader {
  transferSyntax: string;
  sopClassUid?: string;
  sopInstanceUid?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  modality?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  rows?: number;
  columns?: number;
  numberOfFrames?: number;
  imagePosition?: [number, number, number];
  imageOrientation?: number[];
  hasPixelData: boolean;
  /** A SEG's Recommended Display CIELab Value (three numbers 0..65535) by Segment Number; empty for other files. */
  segmentCieLab: Map<number, [number, number, number]>;
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';

// Explicit-VR elements whose length field is 4 bytes after 2 reserved ones; every other VR has a 2-byte length.
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQUENCE_END = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;

const enum Tag {
  TransferSyntax = 0x00020010,
  SopClass = 0x00080016,
  SopInstance = 0x00080018,
  Modality = 0x00080060,
  SeriesDescription = 0x0008103e,
  StudyInstance = 0x0020000d,
  SeriesInstance = 0x0020000e,
  SeriesNumber = 0x00200011,
  InstanceNumber = 0x00200013,
  ImagePosition = 0x00200032,
  ImageOrientation = 0x00200037,
  NumberOfFrames = 0x00280008,
  Rows = 0x00280010,
  Columns = 0x00280011,
  SegmentSequence = 0x00620002,
  SegmentNumber = 0x00620004,
  SegmentCieLab = 0x0062000d,
}

const STRING_TAGS = new Set<number>([
  Tag.TransferSyntax,
  Tag.SopClass,
  Tag.SopInstance,
  Tag.Modality,
  Tag.SeriesDescription,
  Tag.StudyInstance,
  Tag.SeriesInstance,
  Tag.SeriesNumber,
  Tag.InstanceNumber,
  Tag.ImagePosition,
  Tag.ImageOrientation,
  Tag.NumberOfFrames,
]);

const hex = (tag: number) =>
  `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`.toUpperCase();

/** True when the bytes start like a DICOM Part 10 file ("DICM" after the 128-byte preamble). */
export function hasDicomMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** Thrown when a prefix of a file was given and the walk needs bytes beyond it: read the whole file. */
export class NeedsWholeFile extends Error {
  constructor() {
    super('the DICOM header runs past the bytes read');
  }
}

/**
 * Walks every element of a DICOM file (skipping values it does not need) so that a truncated file, a broken
 * element or trailing garbage is found here, cheaply, instead of as a bare number thrown by GDCM later.
 * Accepts Part 10 files and raw data sets without preamble. Throws an Error whose message names the problem.
 *
 * `bytes` may be just the start of a file of `fileSize` bytes: when the pixel data runs exactly to the end of
 * the file the walk is complete without reading it; when more is needed, NeedsWholeFile is thrown.
 */
export function parseDicomHeader(bytes: Uint8Array, fileSize = bytes.length): DicomHeader {
  let dataset = bytes;
  let size = fileSize;
  let start = 0;
  let transferSyntax: string;
  const values = new Map<number, string | number>();
  const segmentCieLab = new Map<number, [number, number, number]>();
  if (hasDicomMagic(bytes)) {
    const meta = new Walker(bytes, fileSize, true, true, values, segmentCieLab);
    meta.pos = 132;
    meta.walk(0, (tag) => tag >>> 16 === 0x0002);
    transferSyntax = String(values.get(Tag.TransferSyntax) ?? '').replace(/[\0\s]+$/, '') || IMPLICIT_LE;
    start = meta.pos;
  } else if (!looksLikeRawDataset(bytes)) {
    throw new Error('not a DICOM file (no "DICM" marker and no DICOM data set at the start)');
  } else {
    transferSyntax = isVr(bytes, 4) ? '1.2.840.10008.1.2.1' : IMPLICIT_LE;
  }
  if (transferSyntax === DEFLATED) {
    if (bytes.length < fileSize) throw new NeedsWholeFile();
    try {
      dataset = zlib.inflateRawSync(bytes.subarray(start));
    } catch (err) {
      throw new Error(`deflated data set cannot be inflated (${(err as Error).message})`, { cause: err });
    }
    size = dataset.length;
    start = 0;
  }
  const walker = new Walker(dataset, size, transferSyntax !== IMPLICIT_LE, transferSyntax !== EXPLICIT_BE, values, segmentCieLab);
  walker.pos = start;
  walker.walk(0, () => true);
  if (walker.pos < dataset.length) {
    const rest = dataset.subarray(walker.pos);
    if (rest.every((b) => b === 0) && dataset.length === size)
      throw new Error(`${rest.length} bytes of zeros after the end of the data set`);
    if (dataset.length < size) throw new NeedsWholeFile();
    throw new Error(`${rest.length} unparseable bytes after the end of the data set`);
  }
  const str = (tag: number) => {
    const v = values.get(tag);
    return typeof v === 'string' ? v.replace(/\0/g, '').trim() || undefined : undefined;
  };
  const int = (tag: number) => {
    const v = values.get(tag);
    const n = typeof v === 'number' ? v : v === undefined ? NaN : parseInt(v, 10);
    return Number.isFinite(n) ? n : undefined;
  };
  const nums = (tag: number) => str(tag)?.split('\\').map(Number);
  const position = nums(Tag.ImagePosition);
  return {
    transferSyntax,
    sopClassUid: str(Tag.SopClass),
    sopInstanceUid: str(Tag.SopInstance),
    studyInstanceUid: str(Tag.StudyInstance),
    seriesInstanceUid: str(Tag.SeriesInstance),
    modality: str(Tag.Modality),
    seriesDescription: str(Tag.SeriesDescription),
    seriesNumber: int(Tag.SeriesNumber),
    instanceNumber: int(Tag.InstanceNumber),
    rows: int(Tag.Rows),
    columns: int(Tag.Columns),
    numberOfFrames: int(Tag.NumberOfFrames),
    imagePosition: position?.length === 3 && position.every(Number.isFinite) ? (position as [number, number, number]) : undefined,
    imageOrientation: nums(Tag.ImageOrientation),
    hasPixelData: values.has(PIXEL_DATA),
    segmentCieLab,
  };
}

function isVr(bytes: Uint8Array, at: number): boolean {
  const a = bytes[at],
    b = bytes[at + 1];
  return a !== undefined && b !== undefined && a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;
}

// Old ACR-NEMA style files start directly with a group 0x0002 or 0x0008 element.
function looksLikeRawDataset(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = bytes[0] | (bytes[1] << 8);
  return group === 0x0002 || group === 0x0008;
}

/** What an item of a SEG's Segment Sequence says of its segment's colour. */
interface SegmentItem {
  number?: number;
  cieLab?: [number, number, number];
}

class Walker {
  pos = 0;
  /** The Segment Sequence item being walked, if any. */
  private item?: SegmentItem;
  private view: DataView;

  /** `bytes` holds the first bytes of a file (or data set) of `size` bytes. */
  constructor(
    private bytes: Uint8Array,
    private size: number,
    private explicit: boolean,
    private little: boolean,
    private values: Map<number, string | number>,
    private segments: Map<number, [number, number, number]>,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The data ran out: a truncated file, unless only a prefix was read. */
  private short(problem: string): never {
    if (this.bytes.length < this.size) throw new NeedsWholeFile();
    throw new Error(problem);
  }

  /** Reads elements at one nesting level until the data ends, a delimiter, or `accept` says the tag is not ours. */
  walk(depth: number, accept: (tag: number) => boolean, until?: number): void {
    let previous = -1;
    while (this.pos < this.bytes.length) {
      if (this.pos + 8 > this.bytes.length) {
        if (this.bytes.subarray(this.pos).every((b) => b === 0) && this.bytes.length === this.size) return;
        this.short(`truncated: the file ends inside an element header at byte ${this.pos}`);
      }
      if (this.bytes.subarray(this.pos, this.pos + 8).every((b) => b === 0)) return;
      const tag = this.tagAt(this.pos);
      if (until !== undefined && tag === until) {
        this.pos += 8;
        return;
      }
      if (!accept(tag)) return;
      if (tag <= previous && depth === 0) throw new Error(`element ${hex(tag)} at byte ${this.pos} is out of order`);
      previous = tag;
      this.element(tag, depth);
    }
    if (until !== undefined) this.short(`truncated: the file ends inside a sequence item (no delimiter ${hex(until)})`);
  }

  private tagAt(at: number): number {
    const group = this.view.getUint16(at, this.little);
    const element = this.view.getUint16(at + 2, this.little);
    return ((group << 16) | element) >>> 0;
  }

  private element(tag: number, depth: number): void {
    const at = this.pos;
    let vr = '';
    let length: number;
    // Items and delimiters never carry a VR, and group 0x0002 is always explicit little endian.
    const isDelimiter = tag >>> 16 === 0xfffe;
    const explicit = !isDelimiter && (this.explicit || tag >>> 16 === 0x0002);
    const little = this.little || tag >>> 16 === 0x0002;
    if (explicit) {
      if (!isVr(this.bytes, at + 4)) throw new Error(`element ${hex(tag)} at byte ${at} has no valid value representation`);
      vr = String.fromCharCode(this.bytes[at + 4], this.bytes[at + 5]);
      if (LONG_VRS.has(vr)) {
        if (at + 12 > this.bytes.length) this.short(`truncated: the file ends inside element ${hex(tag)}`);
        length = this.view.getUint32(at + 8, little);
        this.pos = at + 12;
      } else {
        length = this.view.getUint16(at + 6, little);
        this.pos = at + 8;
      }
    } else {
      length = this.view.getUint32(at + 4, little);
      this.pos = at + 8;
    }
    if (length === UNDEFINED) {
      if (tag === PIXEL_DATA) this.values.set(PIXEL_DATA, 1);
      // A sequence of unknown VR with undefined length is encoded implicit little endian inside (PS3.5 6.2.2).
      const walker = vr === 'UN' ? new Walker(this.bytes, this.size, false, true, new Map(), this.segments) : this;
      walker.pos = this.pos;
      walker.sequence(depth + 1, true, tag);
      this.pos = walker.pos;
      return;
    }
    if (this.pos + length > this.size) {
      throw new Error(`truncated: element ${hex(tag)} needs ${length} bytes but the file ends ${this.size - this.pos} bytes later`);
    }
    if (this.pos + length > this.bytes.length) {
      // Only a prefix was read: pixel data running exactly to the end of the file completes the walk unread.
      if (depth === 0 && tag === PIXEL_DATA && this.pos + length === this.size) {
        this.values.set(PIXEL_DATA, length);
        this.pos = this.bytes.length;
        return;
      }
      throw new NeedsWholeFile();
    }
    if (depth === 0) this.remember(tag, vr, length, little);
    else if (this.item) this.rememberSegment(this.item, tag, length, little);
    // Implicit VR names no sequence but a SEG's Segment Sequence, which is one by the data dictionary.
    if ((vr === 'SQ' || (!explicit && tag === Tag.SegmentSequence)) && length > 0) {
      // A defined-length sequence still gets walked so broken items inside it are found too.
      const inner = this.within(this.pos + length);
      inner.sequence(depth + 1, false, tag);
    }
    this.pos += length;
  }

  /**
   * Items of a sequence (or fragments of encapsulated pixel data): up to the sequence delimiter when `delimited`
   * (undefined length), else to the end of the bytes (a defined-length sequence's own walker).
   */
  sequence(depth: number, delimited: boolean, sequenceTag: number): void {
    const outer = this.item;
    while (this.pos < this.bytes.length || delimited) {
      if (this.pos + 8 > this.bytes.length) this.short(`truncated: the file ends inside a sequence at byte ${this.pos}`);
      const tag = this.tagAt(this.pos);
      const length = this.view.getUint32(this.pos + 4, this.little);
      this.pos += 8;
      if (tag === SEQUENCE_END) break;
      if (tag !== ITEM) throw new Error(`expected a sequence item at byte ${this.pos - 8}, found ${hex(tag)}`);
      const item: SegmentItem | undefined = depth === 1 && sequenceTag === Tag.SegmentSequence ? {} : undefined;
      this.item = item;
      if (length === UNDEFINED) {
        this.walk(depth, () => true, ITEM_END);
      } else {
        if (this.pos + length > this.bytes.length)
          this.short(`truncated: sequence item at byte ${this.pos - 8} runs past the end of the file`);
        // Other defined-length items are skipped; a segment's is walked for its number and colour.
        if (item) {
          const inner = this.within(this.pos + length);
          inner.item = item;
          inner.walk(depth, () => true);
        }
        this.pos += length;
      }
      if (item?.number !== undefined && item.cieLab) this.segments.set(item.number, item.cieLab);
    }
    this.item = outer;
  }

  /** A walker from here up to `end`, where a defined-length sequence or item ends. */
  private within(end: number): Walker {
    const inner = new Walker(this.bytes.subarray(0, end), end, this.explicit, this.little, new Map(), this.segments);
    inner.pos = this.pos;
    return inner;
  }

  private rememberSegment(item: SegmentItem, tag: number, length: number, little: boolean): void {
    const u16 = (n: number) => this.view.getUint16(this.pos + 2 * n, little);
    if (tag === Tag.SegmentNumber && length >= 2) item.number = u16(0);
    else if (tag === Tag.SegmentCieLab && length >= 6) item.cieLab = [u16(0), u16(1), u16(2)];
  }

  private remember(tag: number, vr: string, length: number, little: boolean): void {
    if (tag === PIXEL_DATA) {
      this.values.set(tag, length);
    } else if (STRING_TAGS.has(tag)) {
      this.values.set(tag, Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, length).toString('latin1'));
    } else if ((tag === Tag.Rows || tag === Tag.Columns) && length >= 2 && (vr === 'US' || vr === '')) {
      this.values.set(tag, this.view.getUint16(this.pos, little));
    }
  }
}
