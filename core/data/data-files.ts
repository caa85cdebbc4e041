import path from 'node:path';
import { resolveWithin, spelledWithin } from './within.js';

/** More files than any real slice-per-file image has; a pattern naming more is refused rather than expanded. */
const MAX_DATA_FILES = 100_000;

/**
 * The files a detached header names for its voxels (a MetaImage ElementDataFile, a NRRD data file), resolved
 * against the header's folder: one file; LIST, with the names on the lines after it; or a printf pattern with a
 * range ("slice%03d.raw 1 40 1"). LOCAL (voxels in the header's own file) names none. With `area`, each must lie
 * inside it, judged before any of them is looked at. Throws `Error` naming the refused file.
 */
export async function headerDataFiles(
  header: string,
  spec: string,
  listed: readonly string[],
  area: string | undefined,
): Promise<string[]> {
  const dir = path.dirname(path.resolve(header));
  const files = namedFiles(spec, listed).map((name) => path.resolve(dir, name));
  if (area !== undefined) {
    // Every spelling first: a name pointing out is refused before anything, even an allowed sibling, is touched.
    for (const file of files) spelledWithin(file, area, 'data file');
    for (const file of files) await resolveWithin(file, area, 'data file');
  }
  return files;
}

function namedFiles(spec: string, listed: readonly string[]): string[] {
  const trimmed = spec.trim();
  if (/^LOCAL$/i.test(trimmed)) return [];
  if (/^LIST\b/.test(trimmed)) return listed.map((line) => line.trim()).filter(Boolean);
  const pattern = /^(\S*%\d*d\S*)\s+(-?\d+)\s+(-?\d+)(?:\s+(-?\d+))?/.exec(trimmed);
  if (!pattern) return [trimmed];
  const [, format, first, last, step = '1'] = pattern;
  const [from, to, by] = [Number(first), Number(last), Math.abs(Number(step)) || 1];
  if (Math.abs(to - from) / by + 1 > MAX_DATA_FILES)
    throw new Error(`data file pattern ${trimmed} names more than ${MAX_DATA_FILES} files`);
  const names: string[] = [];
  for (let n = from; from <= to ? n <= to : n >= to; n += from <= to ? by : -by) names.push(formatIndex(format!, n));
  return names;
}

/** printf's %d, %5d and %05d, the forms these headers use. */
function formatIndex(format: string, n: number): string {
  return format.replace(/%(0?)(\d*)d/g, (_m, zero: string, width: string) => String(n).padStart(Number(width || 0), zero ? '0' : ' '));
}
