import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiResult } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import type { PathPolicy } from './paths.js';

const MAX_ENTRIES = 5000;

/** A folder's entries, folders first, hidden files left out; symlinks leaving a confined root are not listed. */
export async function listDirectory(paths: PathPolicy, userPath: string | undefined): Promise<ApiResult<'listDirectory'>> {
  const dir = await paths.resolveExisting(userPath ?? paths.root ?? '.');
  const info = await stat(dir);
  if (!info.isDirectory()) throw new ApiError('bad-request', `not a folder: ${userPath}`);
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.')).slice(0, MAX_ENTRIES);
  const entries = (
    await Promise.all(
      names.map(async (name) => {
        const real = await paths.resolveExisting(path.join(dir, name)).catch(() => null);
        const entry = real ? await stat(real).catch(() => null) : null;
        if (!entry || (!entry.isDirectory() && !entry.isFile())) return null;
        return {
          name,
          path: path.join(dir, name),
          kind: entry.isDirectory() ? ('dir' as const) : ('file' as const),
          size: entry.isFile() ? entry.size : 0,
        };
      }),
    )
  ).filter((e) => e !== null);
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.kind === 'dir' ? -1 : 1));
  const parentDir = path.dirname(dir);
  const parent =
    parentDir !== dir &&
    (await paths.resolveExisting(parentDir).then(
      () => true,
      () => false,
    ))
      ? parentDir
      : null;
  return { path: dir, parent, entries };
}
