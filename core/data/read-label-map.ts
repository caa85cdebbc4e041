import { readDicomSeg, isDicomSeg } from './read-dicom-seg.js';
import { readLabelVolume } from './read-label-volume.js';
import { readSegNrrdSegments } from './read-seg-nrrd-segments.js';
import type { ProbeOptions } from './probe-file.js';
import type { CodedSegment } from './slicer-terminology.js';
import type { LabelVolume } from './volume.js';

/**
 * A label map the user names for an image on `grid`, with the segments its file describes (names, colours, coded
 * anatomy): a DICOM SEG, placed on the grid of the series it segments, or a .seg.nrrd; null for files that
 * describe none. Both are read before anything is replaced, so a bad file changes nothing. Other maps are read
 * as they lie; the caller checks their grid.
 */
export async function readLabelMap(
  file: string,
  grid: Omit<LabelVolume, 'data' | 'source'>,
  options: ProbeOptions = {},
): Promise<{ labels: LabelVolume; segments: CodedSegment[] | null }> {
  if (await isDicomSeg(file)) return readDicomSeg(file, grid);
  const labels = await readLabelVolume(file, options);
  return { labels, segments: file.toLowerCase().endsWith('.seg.nrrd') ? await readSegNrrdSegments(file) : null };
}
