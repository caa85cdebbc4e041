import { createReadStream, createWriteStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { apiContract, UploadedFileSchema } from '../contract/index.js';
import { frameLayout, MAX_FRAME_HEADER_BYTES, restoreArrays } from '../contract/codec.js';
import { describeIssues } from './dispatch.js';
import { ApiError } from '../contract/errors.js';

/** Where one uploaded file's bytes lie in the frame on disk. */
const FileRangeSchema = z.object({ type: z.literal('Uint8Array', 'expected a Uint8Array'), start: z.int(), byteLength: z.int() });

/** uploadStudy's params as they stand in a frame on disk: each file's data is its byte range there. */
const FramedUploadSchema = apiContract.uploadStudy.params.extend({
  files: z.array(UploadedFileSchema.extend({ data: FileRangeSchema })).min(1),
});
type FileRange = z.infer<typeof FileRangeSchema>;

export interface FramedFile {
  path: string;
  /** Writes the file's bytes to `target`, straight from the frame on disk. */
  copyTo(target: string): Promise<void>;
}

/**
 * Reads the header of an uploadStudy frame that was streamed to `frame` and checks it against the contract, so
 * the files can be split out of it one at a time instead of the whole upload being held in memory.
 */
export async function readUploadFrame(frame: string): Promise<{ name: string; files: FramedFile[] }> {
  const handle = await open(frame, 'r');
  let head: Uint8Array;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = new Uint8Array(Math.min(size, 8 + MAX_FRAME_HEADER_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  let params: unknown;
  try {
    const layout = frameLayout(head, size);
    params = restoreArrays(layout.value, layout.arrays);
  } catch (err) {
    throw new ApiError('bad-request', `uploadStudy: ${(err as Error).message}`);
  }
  const parsed = FramedUploadSchema.safeParse(params);
  if (!parsed.success) throw new ApiError('bad-request', `uploadStudy: ${describeIssues(parsed.error)}`);
  return {
    name: parsed.data.name,
    files: parsed.data.files.map((file) => ({ path: file.path, copyTo: (target) => copyRange(frame, file.data, target) })),
  };
}

function copyRange(frame: string, range: FileRange, target: string): Promise<void> {
  // createReadStream's `end` is inclusive, and refuses an empty range.
  if (range.byteLength === 0) return writeFile(target, new Uint8Array(0));
  return pipeline(createReadStream(frame, { start: range.start, end: range.start + range.byteLength - 1 }), createWriteStream(target));
}
