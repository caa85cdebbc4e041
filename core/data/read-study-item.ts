import { readDicomSeries } from './read-dicom-series.js';
import { readVolume } from './read-volume.js';
import type { ProbeOptions } from './probe-file.js';
import type { StudyItem } from './scan-study.js';
import type { Volume } from './volume.js';

/** Reads what scanStudy listed, whatever its kind, its files still held to the folder they were found in. */
export function readStudyItem(item: StudyItem, probe: ProbeOptions = {}): Promise<Volume> {
  const options = item.within === undefined ? probe : { ...probe, within: item.within };
  return item.kind === 'dicom-series' ? readDicomSeries(item.paths, options) : readVolume(item.paths[0], options);
}
