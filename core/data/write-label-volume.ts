import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { isPlanar, itkImageFromLabels } from './itk-image.js';
import { encodeItkImage, type WriteFormat } from './itk-io.js';
import { segNrrdFields } from './seg-nrrd-fields.js';
import { segmentsFor } from './segment.js';
import type { CodedSegment } from './slicer-terminology.js';
import type { LabelVolume } from './volume.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

export interface WriteLabelVolumeOptions {
  /** Names and colours (.seg.nrrd); values present without a segment get a default one. */
  segments?: readonly CodedSegment[];
  /** Further inputs never to overwrite, besides labels.source (e.g. the files of a DICOM series). */
  protect?: readonly string[];
}

const FORMATS: { suffix: string; format: WriteFormat; compress: boolean; slicer?: true }[] = [
  { suffix: '.seg.nrrd', format: 'nrrd', compress: true, slicer: true },
  { suffix: '.nrrd', format: 'nrrd', compress: true },
  { suffix: '.nii.gz', format: 'nifti', compress: true },
  { suffix: '.nii', format: 'nifti', compress: false },
  { suffix: '.mha', format: 'meta', compress: true },
];

/**
 * Writes a label map in the geometry it carries, in the format its extension names: .nii.gz, .nii, .seg.nrrd
 * (a 3D Slicer segmentation with segment names and colours), .nrrd or .mha. Written atomically; refuses to
 * overwrite labels.source or any path in options.protect.
 */
export async function writeLabelVolume(file: string, labels: LabelVolume, options: WriteLabelVolumeOptions = {}): Promise<void> {
  const target = path.resolve(file);
  const spec = FORMATS.find((f) => target.toLowerCase().endsWith(f.suffix));
  if (!spec) {
    throw ioError(
      target,
      `cannot tell the format from the extension; use ${FORMATS.map((f) => f.suffix).join(', ')} (2D masks as PNG: writePngMask)`,
    );
  }
  const voxels = labels.size[0] * labels.size[1] * labels.size[2];
  if (labels.data.length !== voxels)
    throw ioError(target, `label buffer holds ${labels.data.length} values, ${labels.size.join('x')} needs ${voxels}`);
  // Slicer only loads a 3D .seg.nrrd; elsewhere a single slice with no 3D geometry stays 2D.
  const image = itkImageFromLabels(labels, 'uint8', !spec.slicer && isPlanar(labels));
  if (spec.slicer) image.metadata = segNrrdFields(labels, segmentsFor(labels.data, options.segments, true));
  // itk-wasm picks its writer by a case-sensitive extension: OUT.NII.GZ is written as out.nii.gz would be.
  const name = path.basename(target);
  const bytes = await encodeItkImage(image, spec.format, name.slice(0, name.length - spec.suffix.length) + spec.suffix, spec.compress);
  await writeFileAtomic(target, bytes, { protect: [labels.source, ...(options.protect ?? [])].filter(Boolean) });
}
