import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from './errors.js';

/**
 * Where the UI may read and write. `universeg serve` confines every path to its --root, because whoever holds the
 * URL can ask for any path; the desktop app lets the user open anything they can (root null).
 */
export interface PathPolicy {
  /** The folder relative paths start from and, when confined, the one nothing may leave. Null: unconfined. */
  readonly root: string | null;
  /** Absolute real path of an existing file or folder the UI may read. */
  resolveExisting(userPath: string): Promise<string>;
  /** Absolute path the UI may create or overwrite: its folder must exist (and lie inside the root, if confined). */
  resolveWritable(userPath: string): Promise<string>;
  /** Also allow a folder the engine made itself (the temporary copy of an upload). */
  allow(dir: string): void;
}

/** Paths confined to `root`: `..` that climbs out, and symlinks whose target lies outside, are refused. */
export function confinedPaths(root: string): PathPolicy {
  const base = path.resolve(root);
  const allowed = [base];
  let realAllowed: Promise<string[]> | null = null;
  const realRoots = () => (realAllowed ??= Promise.all(allowed.map((dir) => realpath(dir))));

  function lexical(userPath: string): string {
    const absolute = path.resolve(base, userPath);
    if (!allowed.some((dir) => isInside(absolute, dir))) throw outside(userPath, base);
    return absolute;
  }
  async function checkReal(userPath: string, real: string): Promise<string> {
    if (!(await realRoots()).some((dir) => isInside(real, dir))) throw outside(userPath, base);
    return real;
  }

  return {
    root: base,
    async resolveExisting(userPath) {
      const absolute = lexical(userPath);
      return checkReal(userPath, await realpathOrNotFound(absolute, userPath));
    },
    async resolveWritable(userPath) {
      const absolute = lexical(userPath);
      const folder = await checkReal(userPath, await realpathOrNotFound(path.dirname(absolute), path.dirname(userPath)));
      const target = path.join(folder, path.basename(absolute));
      // An existing target may itself be a symlink pointing out of the root.
      const existing = await realpath(target).catch(() => null);
      return existing ? checkReal(userPath, existing) : target;
    },
    allow(dir) {
      allowed.push(path.resolve(dir));
      realAllowed = null;
    },
  };
}

/** The desktop app: any path the user can reach; relative paths start at `base` (the home folder). */
export function unconfinedPaths(base: string): PathPolicy {
  return {
    root: null,
    async resolveExisting(userPath) {
      return realpathOrNotFound(path.resolve(base, userPath), userPath);
    },
    async resolveWritable(userPath) {
      const absolute = path.resolve(base, userPath);
      const folder = await stat(path.dirname(absolute)).catch(() => null);
      if (!folder?.isDirectory()) throw new ApiError('not-found', `no such folder: ${path.dirname(userPath)}`);
      return absolute;
    },
    allow() {},
  };
}

/** True when `candidate` is `dir` or lies below it (both absolute, already normalised). */
export function isInside(candidate: string, dir: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function realpathOrNotFound(absolute: string, userPath: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch {
    throw new ApiError('not-found', `no such file or folder: ${userPath}`);
  }
}

function outside(userPath: string, root: string): ApiError {
  return new ApiError('forbidden', `${userPath} is outside the served folder ${root}`);
}
