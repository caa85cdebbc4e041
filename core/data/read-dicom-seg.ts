import path from 'node:path';
import { readSegmentationNode } from '@itk-wasm/dicom';
import { z } from 'zod';
import { labelColor } from '../contract/label-palette.js';
import { SegmentTerminologySchema } from '../contract/terminology.js';
import { ioError } from '../util/io-error.js';
import { rgbFromDicomCieLab } from './dicom-cielab.js';
import { labelValueOfTracking } from './dicom-seg-label-value.js';
import { volumeFromItkImage } from './itk-image.js';
import { withItk } from './itk-io.js';
import { placeOnGrid } from './place-on-grid.js';
import { readDicomFileHeader } from './read-dicom-file-header.js';
import type { CodedSegment } from './slicer-terminology.js';
import type { LabelVolume } from './volume.js';

export const DICOM_SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';

type Grid = Omit<LabelVolume, 'data' | 'source'>;

// What dcmqi's segimage2itkimage says of each segment (its JSON meta information), as far as a label needs it: not
// its colour, which dcmqi gets wrong for dark ones and dicom-cielab.ts converts from the file's own CIELab.
const DcmqiCode = z.object({ CodeValue: z.string(), CodingSchemeDesignator: z.string(), CodeMeaning: z.string() });
const SegmentAttributes = z.object({
  labelID: z.int().positive(),
  SegmentLabel: z.string().optional(),
  SegmentedPropertyCategoryCodeSequence: DcmqiCode.optional(),
  SegmentedPropertyTypeCodeSequence: DcmqiCode.optional(),
  TrackingIdentifier: z.string().optional(),
});
const MetaInfo = z.object({ segmentAttributes: z.array(z.array(SegmentAttributes)) });
type Attributes = z.infer<typeof SegmentAttributes>;

/** True when `file` is a DICOM file of the Segmentation Storage SOP class (false for anything unreadable). */
export async function isDicomSeg(file: string): Promise<boolean> {
  try {
    return (await readDicomFileHeader(file))?.sopClassUid === DICOM_SEG_SOP_CLASS;
  } catch {
    return false;
  }
}

/**
 * Reads a DICOM SEG (dcmqi, itk-wasm's read-segmentation) as a label map on `grid`, the voxel grid of the series
 * it segments, with each segment's name, colour and coded anatomy (Segmented Property Category and Type). Labels
 * keep the values writeDicomSeg wrote them from (dicom-seg-label-value.ts); a SEG of another tool's numbers its
 * segments 1..N. Throws `Error("<file>: <problem>")` for a file that is no DICOM SEG, a broken one, overlapping
 * segments or a SEG on another grid.
 */
export async function readDicomSeg(file: string, grid: Grid): Promise<{ labels: LabelVolume; segments: CodedSegment[] }> {
  const source = path.resolve(file);
  try {
    const header = await readDicomFileHeader(source);
    if (!header) throw new Error('not a DICOM file');
    if (header.sopClassUid !== DICOM_SEG_SOP_CLASS) {
      throw new Error(
        `not a DICOM SEG: its SOP class is ${header.sopClassUid ?? 'missing'}${header.modality ? ` (${header.modality})` : ''}`,
      );
    }
    const { segImage, metaInfo } = await withoutStdout(() => withItk(() => readSegmentationNode(source))).catch((err: unknown) => {
      throw new Error(`dcmqi could not read this DICOM SEG (${typeof err === 'number' ? `itk-wasm exception ${err}` : String(err)})`, {
        cause: err,
      });
    });
    const meta = MetaInfo.safeParse(metaInfo);
    if (!meta.success) throw new Error('dcmqi read no segment descriptions from it');
    if (meta.data.segmentAttributes.length > 1) {
      throw new Error(`its segments overlap (${meta.data.segmentAttributes.length} layers); a label map holds one label per voxel`);
    }
    const attributes = meta.data.segmentAttributes[0] ?? [];
    const valueOf = labelValues(attributes);
    const { data: numbers, ...geometry } = volumeFromItkImage(segImage, source);
    const data = new Uint8Array(numbers.length);
    for (let n = 0; n < numbers.length; n++) {
      const number = numbers[n]!;
      if (number === 0) continue;
      const value = valueOf.get(number);
      if (value === undefined) throw new Error(`voxel ${n} holds segment ${number}, which the SEG does not describe`);
      data[n] = value;
    }
    let placed: Uint8Array;
    try {
      placed = placeOnGrid(data, geometry, grid);
    } catch (err) {
      throw new Error(`a DICOM SEG of another series or grid: ${(err as Error).message}`, { cause: err });
    }
    const segments = attributes.map((a) => segmentOf(a, valueOf.get(a.labelID)!, header.segmentCieLab.get(a.labelID)));
    const { size, spacing, origin, direction, dimension } = grid;
    const labels: LabelVolume = { data: placed, size, spacing, origin, direction, dimension, source };
    return { labels, segments: segments.sort((a, b) => a.value - b.value) };
  } catch (err) {
    throw ioError(source, err);
  }
}

/**
 * Runs `call` with console.log silenced: dcmqi prints its progress (directions, frame counts) there, on the stdout
 * that `universeg stats --csv` and `--json` print their output on. Its errors go to stderr, and the caller reports them.
 */
async function withoutStdout<T>(call: () => Promise<T>): Promise<T> {
  const print = console.log;
  console.log = () => {};
  try {
    return await call();
  } finally {
    console.log = print;
  }
}

/** Segment number → label value: the values writeDicomSeg recorded when every segment has a distinct one, else the numbers. */
function labelValues(attributes: readonly Attributes[]): Map<number, number> {
  const recorded = attributes.map((a) => labelValueOfTracking(a.TrackingIdentifier));
  const usable = recorded.every((v) => v !== undefined) && new Set(recorded).size === recorded.length;
  if (!usable && attributes.some((a) => a.labelID > 255))
    throw new Error(`it has ${attributes.length} segments; a label map holds at most 255`);
  return new Map(attributes.map((a, n) => [a.labelID, usable ? recorded[n]! : a.labelID]));
}

/** The segment a label value takes from its attributes and its Recommended Display CIELab Value, if it has one. */
function segmentOf(a: Attributes, value: number, cieLab: [number, number, number] | undefined): CodedSegment {
  const color = cieLab ? rgbFromDicomCieLab(cieLab) : labelColor(value);
  const code = (c: z.infer<typeof DcmqiCode> | undefined) =>
    c && { scheme: c.CodingSchemeDesignator, value: c.CodeValue, meaning: c.CodeMeaning };
  const terminology = SegmentTerminologySchema.safeParse({
    category: code(a.SegmentedPropertyCategoryCodeSequence),
    type: code(a.SegmentedPropertyTypeCodeSequence),
  });
  return {
    value,
    name: a.SegmentLabel?.trim().slice(0, 64) || `Segment ${value}`,
    color,
    ...(terminology.success ? { terminology: terminology.data } : {}),
  };
}
