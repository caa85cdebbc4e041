/**
 * Turns whatever a reader threw into `Error("<file>: <problem>")`. itk-wasm pipelines throw bare numbers (a
 * pointer to a C++ exception the release build cannot describe), strings, or Errors carrying a whole stderr dump.
 */
export function ioError(file: string, cause: unknown): Error {
  if (cause instanceof Error && cause.message.startsWith(`${file}: `)) return cause;
  return new FileError(`${file}: ${describe(cause)}`, { cause });
}

/** A file the user named could not be read or written: its message is for the user, unlike a bug's. */
export class FileError extends Error {
  override name = 'FileError';
}

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

function describe(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO[code]) return ERRNO[code];
  if (typeof cause === 'number') {
    return `the ITK reader/writer failed (itk-wasm exception ${cause}); the file is corrupt or an unsupported variant of its format`;
  }
  const text = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : safeJson(cause);
  // stderr dumps repeat "ERROR:" and carry blank lines; keep the informative lines, in one line.
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^ERROR:\s*/, '').trim())
    .filter(Boolean);
  return [...new Set(lines)].join('; ').slice(0, 500) || 'unknown error';
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
