import path from 'node:path';
import type { StudyItem } from '../data/scan-study.js';
import { fileStem } from '../data/file-stem.js';

/**
 * Where each input's mask goes: the input's path relative to the study folder, under `outDir`, with its base
 * name kept: `.png` for a 2D image, `.nii.gz` for a volume; a DICOM series is named after its folder. Names that
 * would clash (a.png and a.jpg, or folders differing in case only) get -2, -3... in the items' order, which is
 * fixed, so every shard of a study agrees on them.
 */
export function outputPaths(items: readonly StudyItem[], studyRoot: string, outDir: string): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const item of items) {
    const relative = path.relative(studyRoot, item.paths[0]);
    const extension = item.kind === 'image2d' ? '.png' : '.nii.gz';
    let base: string;
    if (item.kind === 'dicom-series') {
      const folder = path.dirname(relative);
      base = folder === '.' ? safeName(item.name) : folder;
    } else {
      base = path.join(path.dirname(relative), fileStem(path.basename(relative)));
    }
    let candidate = path.join(outDir, base + extension);
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = path.join(outDir, `${base}-${n}${extension}`);
    taken.add(candidate.toLowerCase());
    out.set(item.id, path.resolve(candidate));
  }
  return out;
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '') || 'series';
}
