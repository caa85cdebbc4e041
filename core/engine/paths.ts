import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../data/within.js';
import { ApiError } from '../contract/errors.js';

export { isInside };

/**
 * Where the UI may read and write. `universeg serve` confines every path to its --root, because whoever holds the
 * URL can ask for any path; the desktop app confines it to what the user picked in a dialog or dropped, so a page
 * gone wrong cannot roam the home folder. Every path the engine resolves for the UI goes through one of these.
 */
export interface PathPolicy {
  /** The folder relative paths start from when the UI is confined to one folder (serve's --root); else null. */
  readonly root: string | null;
  /** Absolute real path of an existing file or folder the UI may read. */
  resolveExisting(userPath: string): Promise<string>;
  /** Absolute path the UI may create or overwrite: its folder must exist (and it must lie where the UI may go). */
  resolveWritable(userPath: string): Promise<string>;
  /** Also allow `dir` and everything below it: a folder the engine made itself (an upload), or one the user picked. */
  allow(dir: string): void;
  /**
   * The allowed folder that `real` (a real path) lies in — what a study's links and its headers' data files must
   * not leave: the root, an upload's own folder, a picked folder. Null where nothing is confined.
   */
  areaOf(real: string): Promise<string | null>;
  /** Whether the UI may reach `userPath` (false rather than an error; a path that no longer exists is judged by its spelling). */
  permits(userPath: string): Promise<boolean>;
}

interface PolicyShape {
  /** What relative paths start from. */
  base: string;
  root: string | null;
  /** False: every path is allowed; the allowed folders then only narrow areaOf. */
  confined: boolean;
  refusal(userPath: string): string;
}

/** Paths confined to `root`: `..` that climbs out, and symlinks whose target lies outside, are refused. */
export function confinedPaths(root: string): PathPolicy {
  const base = path.resolve(root);
  return makePolicy({ base, root: base, confined: true, refusal: (p) => `${p} is outside the served folder ${base}` }, [base]);
}

/**
 * The desktop app: only the files and folders the user picked or dropped (see allowPicked), and what lies below
 * them. Relative paths start at `base` (the home folder) but are refused unless they lead into a picked folder.
 */
export function allowListPaths(base: string, picked: readonly string[] = []): PathPolicy {
  return makePolicy(
    {
      base: path.resolve(base),
      root: null,
      confined: true,
      refusal: (p) => `${p} is not in a folder you opened: open it with File > Open or drop it on the window first`,
    },
    picked,
  );
}

/** Any path the process can reach (the command line's own library use and tests); relative paths start at `base`. */
export function unconfinedPaths(base: string): PathPolicy {
  return makePolicy({ base: path.resolve(base), root: null, confined: false, refusal: (p) => `${p} is refused` }, []);
}

/** Suffix of the folder the workstation's "Export all" writes beside a folder study (renderer ExportPanel). */
export const MASKS_FOLDER_SUFFIX = '-masks';

/** Suffix of the folder "Segment the rest" writes a study's label maps and report to, beside the study (batch-handlers.ts). */
export const SEGMENTATIONS_FOLDER_SUFFIX = '-segmentations';

/**
 * Allows what the user picked in a dialog or dropped: a folder with everything below it, or an image file's
 * folder (its study folder: a header's data file, the project folder and the default export lie there). A picked
 * folder also gets the masks and segmentations folders beside it, where Export all and Segment the rest write. Returns the picked path's real path.
 */
export async function allowPicked(paths: PathPolicy, picked: string): Promise<string> {
  const real = await realpathOrNotFound(path.resolve(picked), picked);
  if ((await stat(real)).isDirectory()) {
    paths.allow(real);
    paths.allow(`${real}${MASKS_FOLDER_SUFFIX}`);
    paths.allow(`${real}${SEGMENTATIONS_FOLDER_SUFFIX}`);
  } else {
    paths.allow(path.dirname(real));
  }
  return real;
}

function makePolicy(shape: PolicyShape, initial: readonly string[]): PathPolicy {
  const allowed = initial.map((dir) => path.resolve(dir));
  // A folder allowed before it exists (a masks folder) has no real path yet: it stands for itself until it does.
  const realRoots = async () => [...allowed, ...(await Promise.all(allowed.map((dir) => realpath(dir).catch(() => dir))))];
  const refuse = (userPath: string) => new ApiError('forbidden', shape.refusal(userPath));

  async function lexical(userPath: string): Promise<string> {
    const absolute = path.resolve(shape.base, userPath);
    if (shape.confined && !(await realRoots()).some((dir) => isInside(absolute, dir))) throw refuse(userPath);
    return absolute;
  }
  async function checkReal(userPath: string, real: string): Promise<string> {
    if (shape.confined && !(await realRoots()).some((dir) => isInside(real, dir))) throw refuse(userPath);
    return real;
  }

  const policy: PathPolicy = {
    root: shape.root,
    async resolveExisting(userPath) {
      const absolute = await lexical(userPath);
      return checkReal(userPath, await realpathOrNotFound(absolute, userPath));
    },
    async resolveWritable(userPath) {
      const absolute = await lexical(userPath);
      const folder = await realpathOrNotFound(path.dirname(absolute), path.dirname(userPath));
      if (!(await stat(folder)).isDirectory()) throw new ApiError('not-found', `no such folder: ${path.dirname(userPath)}`);
      // The target itself, not its folder, must be allowed: an allowed folder that does not exist yet may be made.
      const target = await checkReal(userPath, path.join(folder, path.basename(absolute)));
      // An existing target may itself be a symlink pointing out.
      const existing = await realpath(target).catch(() => null);
      return existing ? checkReal(userPath, existing) : target;
    },
    allow(dir) {
      allowed.push(path.resolve(dir));
    },
    async areaOf(real) {
      const holding = (await realRoots()).filter((dir) => isInside(real, dir));
      if (holding.length === 0) {
        if (shape.confined) throw refuse(real);
        return null;
      }
      // The innermost: an upload's own folder rather than a root that happens to contain the temp folder.
      return holding.reduce((a, b) => (b.length > a.length ? b : a));
    },
    async permits(userPath) {
      try {
        await policy.resolveExisting(userPath);
        return true;
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 'not-found') return false;
        return lexical(userPath).then(
          () => true,
          () => false,
        );
      }
    },
  };
  return policy;
}

async function realpathOrNotFound(absolute: string, userPath: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch {
    throw new ApiError('not-found', `no such file or folder: ${userPath}`);
  }
}
