import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ApiResult, SegmentDef } from '../contract/index.js';
import type { StudyItem } from '../data/scan-study.js';
import type { LabelVolume } from '../data/volume.js';
import { writeDicomSeg } from '../data/write-dicom-seg.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writePngMask } from '../data/write-png-mask.js';
import { ApiError } from '../contract/errors.js';

type ExportFormat = ApiResult<'exportLabels'>['format'];

const FORMATS: [suffix: string, format: ExportFormat][] = [
  ['.seg.nrrd', 'seg-nrrd'],
  ['.nrrd', 'nrrd'],
  ['.nii.gz', 'nifti'],
  ['.nii', 'nifti'],
  ['.mha', 'mha'],
  ['.dcm', 'dicom-seg'],
  ['.png', 'png'],
];

/**
 * Writes a label map in its image's geometry, in the format the extension names, atomically; `file` is already
 * cleared by the path policy. The image's own files are refused up front, with words a user can act on. A PNG is
 * a 0/255 mask when the label set (`labelSet`: the folder's, when the image is one of a folder exported together;
 * else its own segments) holds one label, an indexed PNG of the label values and colours when it holds several.
 */
export async function exportLabels(
  file: string,
  labels: LabelVolume,
  item: StudyItem,
  segments: readonly SegmentDef[],
  labelSet: readonly SegmentDef[] = segments,
): Promise<ApiResult<'exportLabels'>> {
  const lower = file.toLowerCase();
  const format = FORMATS.find(([suffix]) => lower.endsWith(suffix))?.[1];
  if (!format) throw new ApiError('bad-request', `${path.basename(file)}: export as ${FORMATS.map(([s]) => s).join(', ')}`);
  const target = await realpath(file).catch(() => file);
  for (const input of item.paths) {
    if ((await realpath(input).catch(() => input)) === target)
      throw new ApiError('bad-request', `${file} is an image of this study: export elsewhere`);
  }
  const named = segments.map(({ value, name, color, terminology }) => ({ value, name, color, ...(terminology ? { terminology } : {}) }));
  if (format === 'dicom-seg') {
    if (item.kind !== 'dicom-series')
      throw new ApiError('bad-request', 'a DICOM SEG refers to a DICOM series; this image is not one: export as .nii.gz or .seg.nrrd');
    await writeDicomSeg(file, labels, item.paths, named);
  } else if (format === 'png') {
    if (labels.size[2] !== 1) throw new ApiError('bad-request', 'PNG masks are for 2D images; export a volume as .nii.gz or .seg.nrrd');
    await writePngMask(file, labels.data, labels.size[0], labels.size[1], { protect: item.paths, labels: labelSet });
  } else {
    await writeLabelVolume(file, labels, { segments: named, protect: item.paths });
  }
  return { path: file, format };
}
