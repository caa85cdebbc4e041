import fs from 'node:fs/promises';
import path from 'node:path';
import { writeSegmentationNode } from '@itk-wasm/dicom';
import { ioError } from '../util/io-error.js';
import { segmentTracking } from './dicom-seg-label-value.js';
import { itkImageFromLabels } from './itk-image.js';
import { withItk } from './itk-io.js';
import { readDicomFileHeader } from './read-dicom-file-header.js';
import { segmentsFor } from './segment.js';
import type { Code, CodedSegment } from './slicer-terminology.js';
import { tempFolderPrefix } from '../util/temp-files.js';
import type { LabelVolume } from './volume.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

export interface WriteDicomSegOptions {
  seriesDescription?: string;
  /** Omit slices without any label from the SEG (smaller file); default false, every slice is encoded. */
  skipEmptySlices?: boolean;
}

// A segment the user coded carries its category and type; any other is SNOMED CT "Tissue" for both, and its
// name says what it is.
const TISSUE: Code = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };
const dcmqiCode = (c: Code) => ({ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning });

/**
 * Writes a DICOM Segmentation (SEG) object that references the source series, with dcmqi (itk-wasm's
 * write-segmentation pipeline). `labels` must lie on the grid of that series, as readDicomSeries returned it;
 * each label value present becomes one segment. Written atomically; never over one of the source files.
 */
export async function writeDicomSeg(
  file: string,
  labels: LabelVolume,
  sourceSeriesFiles: readonly string[],
  segments: readonly CodedSegment[] = [],
  options: WriteDicomSegOptions = {},
): Promise<void> {
  const target = path.resolve(file);
  if (sourceSeriesFiles.length === 0) throw ioError(target, 'a DICOM SEG needs the files of the source series');
  const present: CodedSegment[] = segmentsFor(labels.data, segments);
  if (present.length === 0) throw ioError(target, 'the label map is empty: a DICOM SEG needs at least one labelled voxel');
  const seriesUid = (await readDicomFileHeader(sourceSeriesFiles[0]!).catch(() => null))?.seriesInstanceUid;
  const metaInfo = {
    ContentCreatorName: 'UniverSeg Workstation',
    ClinicalTrialSeriesID: '1',
    ClinicalTrialTimePointID: '1',
    SeriesDescription: options.seriesDescription ?? 'UniverSeg segmentation',
    SeriesNumber: '300',
    InstanceNumber: '1',
    BodyPartExamined: '',
    ContentLabel: 'SEGMENTATION',
    ContentDescription: 'UniverSeg few-shot segmentation',
    segmentAttributes: [
      present.map((s) => ({
        labelID: s.value,
        SegmentLabel: s.name.slice(0, 64),
        SegmentDescription: s.name,
        SegmentAlgorithmType: 'SEMIAUTOMATIC',
        SegmentAlgorithmName: 'UniverSeg',
        SegmentedPropertyCategoryCodeSequence: dcmqiCode(s.terminology?.category ?? TISSUE),
        SegmentedPropertyTypeCodeSequence: dcmqiCode(s.terminology?.type ?? TISSUE),
        recommendedDisplayRGBValue: s.color,
        // The label value, which DICOM's segment numbers (1..N) do not keep.
        ...segmentTracking(s.value, seriesUid),
      })),
    ],
  };
  const dir = await fs.mkdtemp(tempFolderPrefix('seg'));
  try {
    const out = path.join(dir, 'seg.dcm');
    // dcmqi reads labels as a signed 16-bit image.
    await withItk(() =>
      writeSegmentationNode(itkImageFromLabels(labels, 'int16', false), metaInfo, out, {
        refDicomSeries: sourceSeriesFiles.map((f) => path.resolve(f)),
        skipEmptySlices: options.skipEmptySlices ?? false,
      }),
    );
    const bytes = await fs.readFile(out).catch(() => {
      throw new Error('dcmqi produced no file (does the label map lie on the grid of the source series?)');
    });
    await writeFileAtomic(target, bytes, { protect: [labels.source, ...sourceSeriesFiles].filter(Boolean) });
  } catch (err) {
    throw ioError(target, err);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
