import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/io-error.js';
import type { StudyProblem } from '../data/scan-study.js';
import { fileStem } from '../data/file-stem.js';

export interface SupportPair {
  name: string;
  image: string;
  labels: string;
}

/**
 * Pairs the files of an image folder and a label folder by name, extension aside (`a.png` with `a.png` or
 * `a.nii.gz`). A file without a partner, or whose name is ambiguous, is a problem, not a guess.
 */
export async function pairSupportFiles(imagesDir: string, labelsDir: string): Promise<{ pairs: SupportPair[]; problems: StudyProblem[] }> {
  const problems: StudyProblem[] = [];
  const [images, labels] = await Promise.all([byStem(imagesDir, problems), byStem(labelsDir, problems)]);
  const pairs: SupportPair[] = [];
  for (const [name, image] of images) {
    const label = labels.get(name);
    if (label) pairs.push({ name, image, labels: label });
    else problems.push({ path: image, reason: `no label file named ${name}.* in ${labelsDir}` });
  }
  for (const [name, label] of labels) {
    if (!images.has(name)) problems.push({ path: label, reason: `no image file named ${name}.* in ${imagesDir}` });
  }
  return { pairs: pairs.sort((a, b) => (a.name < b.name ? -1 : 1)), problems };
}

async function byStem(dir: string, problems: StudyProblem[]): Promise<Map<string, string>> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw ioError(dir, err);
  }
  const files = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // A .txt beside a label map is its label table (load-atlases.ts), not an image.
    if (entry.name.startsWith('.') || entry.isDirectory() || entry.name.toLowerCase().endsWith('.txt')) continue;
    // Absolute: itk-wasm fails to read some relative paths (e.g. 'sub/dir/a.png').
    const file = path.resolve(dir, entry.name);
    const stem = fileStem(entry.name);
    if (files.has(stem) || ambiguous.has(stem)) {
      problems.push({ path: file, reason: `another file in ${dir} is also named ${stem}.*; which one is meant is unclear` });
      if (files.has(stem))
        problems.push({ path: files.get(stem)!, reason: `another file in ${dir} is also named ${stem}.*; which one is meant is unclear` });
      files.delete(stem);
      ambiguous.add(stem);
    } else {
      files.set(stem, file);
    }
  }
  return files;
}
