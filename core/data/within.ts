import fs from 'node:fs/promises';
import path from 'node:path';

/** True when `candidate` is `dir` or lies below it (both absolute, already normalised). */
export function isInside(candidate: string, dir: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Where `file` really is, provided it lies inside `area` (an absolute real folder). Its spelling is checked first
 * (`..`, an absolute path elsewhere), so nothing outside is touched at all; then links are resolved and the
 * result checked again. A file that does not exist comes back as spelled (the caller reports it missing).
 * Throws `Error(<what> <file> ... outside <area>)`.
 */
export async function resolveWithin(file: string, area: string, what: string): Promise<string> {
  const absolute = spelledWithin(file, area, what);
  const real = await fs.realpath(absolute).catch(() => null);
  if (real !== null && !isInside(real, area)) throw outsideArea(file, area, `${what} (a link)`);
  return real ?? absolute;
}

/** `file` made absolute, if its spelling alone keeps it inside `area`; nothing on disk is looked at. */
export function spelledWithin(file: string, area: string, what: string): string {
  const absolute = path.resolve(file);
  if (!isInside(absolute, area)) throw outsideArea(file, area, what);
  return absolute;
}

function outsideArea(file: string, area: string, what: string): Error {
  return new Error(`${what} ${file} lies outside ${area}; refused`);
}
