import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a torn file: a crash
 * mid-write leaves only a temporary file behind, and the user's previous file stays intact.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
