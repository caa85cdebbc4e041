import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { mapLimit } from './map-limit.js';
import { isInside } from './within.js';
import { probeFile, type FileProbe, type ProbeOptions } from './probe-file.js';

/**
 * One thing a user can open from a study folder. Read a 'dicom-series' with readDicomSeries(item.paths) and the
 * others with readVolume(item.paths[0]) (readStudyItem does either).
 */
export interface StudyItem {
  /** Stable within a study: `dicom:<SeriesInstanceUID>` or the path relative to the study folder. */
  id: string;
  kind: 'volume' | 'image2d' | 'dicom-series';
  /** The files to read; a DICOM series' files in InstanceNumber order. */
  paths: string[];
  name: string;
  /** Voxels along i, j, k as far as the headers tell (a DICOM series: columns, rows, number of files). */
  size?: [number, number, number];
  modality?: string;
  /** The folder the item's files were found in and must still lie in when read (ProbeOptions.within). */
  within?: string;
}

export interface StudyProblem {
  path: string;
  reason: string;
}

export interface ScanStudyResult {
  items: StudyItem[];
  problems: StudyProblem[];
}

/**
 * Lists the images of a study folder, recursively: DICOM files grouped per SeriesInstanceUID, every other
 * readable image as its own item. Files are probed by extension and header, not decoded. What cannot be used
 * (empty, truncated, not an image, 4D, dangling link, unreadable folder...) is reported in `problems` with the
 * reason and the scan goes on. Hidden entries (names starting with ".") are skipped. A file instead of a folder
 * is scanned as a study of that one file. With `options.within`, a link leading out of that folder is reported,
 * not followed, and so is a header whose data file lies outside it.
 */
export async function scanStudy(dir: string, options: ProbeOptions = {}): Promise<ScanStudyResult> {
  const root = path.resolve(dir);
  try {
    await fs.stat(root);
  } catch (err) {
    throw ioError(root, err);
  }
  const problems: StudyProblem[] = [];
  const files = await listFiles(root, problems, options.within);
  const probes: FileProbe[] = [];
  await mapLimit(files, 8, async (file) => {
    try {
      probes.push(await probeFile(file, options));
    } catch (err) {
      problems.push({ path: file, reason: reasonOf(err, file) });
    }
  });
  // A .mhd's .raw or an .hdr's .img is part of an image, not a problem.
  const companions = new Set(probes.flatMap((p) => p.companions));
  const base = (await fs.stat(root)).isDirectory() ? root : path.dirname(root);
  const items = [
    ...probes
      .filter((p) => p.format !== 'dicom')
      .map((p): StudyItem => ({
        id: relative(base, p.file),
        kind: p.kind,
        paths: [p.file],
        name: relative(base, p.file),
        size: p.size,
      })),
    ...dicomItems(
      probes.filter((p) => p.format === 'dicom'),
      base,
      problems,
    ),
  ]
    .map((item) => (options.within === undefined ? item : { ...item, within: options.within }))
    .sort((a, b) => (a.paths[0] < b.paths[0] ? -1 : 1));
  return {
    items,
    problems: problems.filter((p) => !companions.has(p.path)).sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

function relative(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/') || path.basename(file);
}

function reasonOf(err: unknown, file: string): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

/**
 * Regular files under root, following symbolic links once (a link back up the tree, or one out of `within`, is
 * reported, not followed).
 */
async function listFiles(root: string, problems: StudyProblem[], within: string | undefined): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = async (entry: string): Promise<void> => {
    let real, stat;
    try {
      // Where a link leads is settled before its target is looked at.
      real = await fs.realpath(entry);
      if (within !== undefined && !isInside(real, within)) {
        problems.push({ path: entry, reason: `a link out of ${within}; not followed` });
        return;
      }
      stat = await fs.stat(real);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const link = await fs.readlink(entry).catch(() => null);
      const reason =
        link !== null && code === 'ENOENT'
          ? `dangling symbolic link (its target ${link} does not exist)`
          : reasonOf(ioError(entry, err), entry);
      problems.push({ path: entry, reason });
      return;
    }
    if (seen.has(real)) {
      if (stat.isDirectory()) problems.push({ path: entry, reason: 'links to a folder that is already being scanned; not followed' });
      return;
    }
    seen.add(real);
    if (stat.isFile()) {
      files.push(entry);
    } else if (stat.isDirectory()) {
      let names: string[];
      try {
        names = await fs.readdir(entry);
      } catch (err) {
        problems.push({ path: entry, reason: `folder cannot be read: ${reasonOf(ioError(entry, err), entry)}` });
        return;
      }
      for (const name of names.sort()) {
        if (!name.startsWith('.')) await visit(path.join(entry, name));
      }
    } else {
      problems.push({ path: entry, reason: 'not a regular file or folder (device, socket or pipe)' });
    }
  };
  await visit(root);
  return files;
}

/**
 * One item per SeriesInstanceUID. Files that repeat an instance already seen, or whose image size differs from
 * the rest of their series (e.g. a localizer), become problems: GDCM would otherwise stack them into nonsense.
 */
function dicomItems(probes: FileProbe[], base: string, problems: StudyProblem[]): StudyItem[] {
  const groups = new Map<string, FileProbe[]>();
  for (const p of probes) {
    const key = p.dicom?.seriesInstanceUid ?? `file:${p.file}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const items: StudyItem[] = [];
  for (const [key, group] of groups) {
    group.sort((a, b) => (a.dicom?.instanceNumber ?? 0) - (b.dicom?.instanceNumber ?? 0) || (a.file < b.file ? -1 : 1));
    const bySize = new Map<string, number>();
    for (const p of group) bySize.set(`${p.size[0]}x${p.size[1]}`, (bySize.get(`${p.size[0]}x${p.size[1]}`) ?? 0) + 1);
    const common = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const instances = new Map<string, string>();
    const kept: FileProbe[] = [];
    for (const p of group) {
      const sop = p.dicom?.sopInstanceUid;
      const size = `${p.size[0]}x${p.size[1]}`;
      if (sop && instances.has(sop)) {
        problems.push({ path: p.file, reason: `duplicate of ${instances.get(sop)} (same SOPInstanceUID); left out of the series` });
      } else if (size !== common) {
        problems.push({ path: p.file, reason: `image size ${size} differs from the ${common} of the rest of its series; left out` });
      } else {
        if (sop) instances.set(sop, p.file);
        kept.push(p);
      }
    }
    const first = kept[0];
    const d = first.dicom;
    const kind = kept.length > 1 ? 'dicom-series' : first.kind;
    const folder = relative(base, path.dirname(first.file));
    const name = d?.seriesDescription ?? (d?.seriesNumber !== undefined ? `Series ${d.seriesNumber}` : folder);
    items.push({
      id: key.startsWith('file:') ? relative(base, first.file) : `dicom:${key}`,
      kind,
      paths: kept.map((p) => p.file),
      name: kept.length > 1 ? name : `${name} (${path.basename(first.file)})`,
      size: kept.length > 1 ? [first.size[0], first.size[1], kept.length] : first.size,
      modality: d?.modality,
    });
  }
  return items;
}
