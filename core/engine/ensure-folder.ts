import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../contract/errors.js';
import type { PathPolicy } from './paths.js';

/**
 * Makes a folder the policy lets the UI write to, and any missing folders above it, one level at a time: each is
 * cleared by the policy before it is made, so a link out of the allowed folders is never followed to create
 * anything. Returns the folder's real path.
 */
export async function ensureFolder(paths: PathPolicy, folder: string): Promise<string> {
  try {
    return await paths.resolveExisting(folder);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'not-found') throw err;
  }
  const parent = path.dirname(folder);
  // An existing parent need not be allowed itself: an allowed folder that does not exist yet may be made in it.
  if (parent !== folder && !(await stat(parent).catch(() => null))) await ensureFolder(paths, parent);
  const target = await paths.resolveWritable(folder);
  await mkdir(target);
  return target;
}
