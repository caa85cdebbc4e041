import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from './io-error.js';
import { tempFileName } from './temp-files.js';

export interface WriteFileAtomicOptions {
  /** Paths that must never be overwritten (the inputs an export was made from); checked after resolving links. */
  protect?: readonly string[];
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a torn file: the
 * bytes go to a temporary file in the same folder, are fsynced, and the temporary file is renamed over the
 * target (then the folder is fsynced so the rename survives a crash). On failure the target is untouched.
 *
 * Not the write-file-atomic package, which does the temporary file, fsync and rename alike but names the
 * temporary file `<target>.<hash>` without the writer's pid, so the files a crash leaves in a project folder could
 * not be told from a live process's and swept (temp-files.ts sweepTempFiles relies on tempFileName's pid), and it
 * does not fsync the folder, so a rename could be lost to a power cut. The generation-named project commit
 * (project-commit.ts) builds on this: its project.json is the one file written here last.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<void> {
  const target = path.resolve(file);
  if (options.protect?.length) await refuseInputs(target, options.protect);
  const dir = path.dirname(target);
  const tmp = path.join(dir, tempFileName(target, randomBytes(6).toString('hex')));
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw ioError(target, err);
  }
  await syncFolder(dir);
}

async function refuseInputs(target: string, inputs: readonly string[]): Promise<void> {
  const real = (p: string) => fs.realpath(p).catch(() => path.resolve(p));
  const resolvedTarget = await real(target);
  for (const input of inputs) {
    if ((await real(input)) === resolvedTarget) {
      throw new Error(`${target}: refusing to overwrite an input of this export (${input})`);
    }
  }
}

// Not every platform can open a folder for fsync (Windows cannot); the rename itself is still atomic there.
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}
