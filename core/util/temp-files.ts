import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary files and folders carry the id of the process that made them, so that after a crash a later process
 * can tell its own (in use) and those of a process still running (in use too) from the leftovers of one that died.
 */
export const TEMP_FOLDER_KINDS = ['upload', 'encode', 'seg'] as const;
export type TempFolderKind = (typeof TEMP_FOLDER_KINDS)[number];

/** mkdtemp prefix of a private temporary folder: `universeg-<kind>-<pid>-`. */
export function tempFolderPrefix(kind: TempFolderKind, parent = os.tmpdir()): string {
  return path.join(parent, `universeg-${kind}-${process.pid}-`);
}

/** Name of the temporary file writeFileAtomic writes beside `target` before renaming it over. */
export function tempFileName(target: string, nonce: string): string {
  return `.${path.basename(target)}.${process.pid}.${nonce}.tmp`;
}

const TEMP_FOLDER = new RegExp(`^universeg-(?:${TEMP_FOLDER_KINDS.join('|')})-(\\d+)-`);
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Deletes the temporary folders under `parent` (the system's temp folder) left by processes no longer running. */
export function sweepTempFolders(parent = os.tmpdir()): Promise<string[]> {
  return sweep(parent, TEMP_FOLDER);
}

/** Deletes the half-written files of atomic writes in `dir` (a project folder) left by processes no longer running. */
export function sweepTempFiles(dir: string): Promise<string[]> {
  return sweep(dir, TEMP_FILE);
}

async function sweep(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = pattern.exec(name)?.[1];
    return pid !== undefined && !isRunning(Number(pid));
  });
  await Promise.all(stale.map((name) => fs.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined)));
  return stale.map((name) => path.join(dir, name));
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
