import path from 'node:path';
import { allowListPaths, allowPicked, type PathPolicy } from './paths.js';
import type { RecentStudies } from './recent.js';

/**
 * The desktop app's path policy: the page reaches only what the user picked in an open dialog or dropped on the
 * window (and what lies below it: the study's project folders), this session or an earlier one (the recent
 * studies, each once picked). Relative paths start at `home`, but home itself is not open to the page.
 */
export async function desktopPaths(home: string, recent: RecentStudies): Promise<PathPolicy> {
  const paths = allowListPaths(home);
  for (const study of await recent.list()) await allowPicked(paths, study.path).catch(() => undefined);
  return paths;
}

/**
 * Allows a path the main process got from the user (a dialog's answer, a dropped file's path from the preload).
 * Null for what is no path at all: a File the page made itself has an empty path, which must not become ".".
 */
export async function grantPicked(paths: PathPolicy, picked: unknown): Promise<string | null> {
  if (typeof picked !== 'string' || !path.isAbsolute(picked)) return null;
  return allowPicked(paths, picked).catch(() => null);
}
