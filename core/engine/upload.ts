import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempFolderPrefix } from '../util/temp-files.js';
import { ApiError } from '../contract/errors.js';
import { readUploadFrame } from './upload-frame.js';

export interface UploadedFile {
  path: string;
  data: Uint8Array;
}

/**
 * Private temporary folders for files dropped into a browser (which hands over bytes, never paths). Names come
 * from the user's machine: each must be a plain relative path, or nothing is written.
 */
export interface UploadArea {
  store(name: string, files: UploadedFile[]): Promise<string>;
  /**
   * The same from an uploadStudy frame arriving as a stream (`universeg serve`): it goes to disk as it comes and is
   * split into its files there, so an upload never sits whole in memory. The caller bounds the stream's length.
   */
  receive(frame: Readable): Promise<string>;
  /** The private folder a stored upload lies in, which nothing it names may leave (its real path). */
  folderOf(stored: string): Promise<string>;
  /** Deletes every folder this area made. */
  dispose(): Promise<void>;
}

interface Placed {
  path: string;
  copyTo(target: string): Promise<void>;
}

export function createUploadArea(parent = tmpdir()): UploadArea {
  const made: string[] = [];
  const folder = async () => {
    const dir = await mkdtemp(tempFolderPrefix('upload', parent));
    made.push(dir);
    return dir;
  };

  async function place(name: string, files: Placed[]): Promise<string> {
    const relatives = files.map((f) => safeRelative(f.path));
    const dir = await folder();
    // The study keeps the dropped name, so the viewer shows "brain_mr" rather than "universeg-upload-x1y2".
    const root = path.join(dir, safeRelative(name).replaceAll('/', '_'));
    for (const [n, file] of files.entries()) {
      const target = path.join(root, relatives[n]!);
      await mkdir(path.dirname(target), { recursive: true });
      await file.copyTo(target);
    }
    return files.length === 1 && relatives[0] === path.basename(relatives[0]!) ? path.join(root, relatives[0]!) : root;
  }

  return {
    store(name, files) {
      return place(
        name,
        files.map((f) => ({ path: f.path, copyTo: (target) => writeFile(target, f.data) })),
      );
    },
    async receive(frame) {
      const staging = await folder();
      const staged = path.join(staging, 'upload.frame');
      try {
        await pipeline(frame, createWriteStream(staged));
        const { name, files } = await readUploadFrame(staged);
        return await place(name, files);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
    async folderOf(stored) {
      const dir = made.find((d) => stored.startsWith(`${d}${path.sep}`));
      if (!dir) throw new ApiError('not-found', `${stored} is not an upload`);
      return realpath(dir);
    },
    async dispose() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

function safeRelative(name: string): string {
  const parts = name
    .replaceAll('\\', '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.includes('\0')) || /^[a-zA-Z]:/.test(parts[0]!)) {
    throw new ApiError('bad-request', `uploaded file name ${JSON.stringify(name)} is not a plain relative path`);
  }
  return parts.join('/');
}
