const MAX_UPLOAD_BYTES = 1 << 30;

export interface DroppedFiles {
  /** The dropped folder's or file's name. */
  name: string;
  files: { path: string; data: Uint8Array<ArrayBuffer> }[];
}

/**
 * Reads what was dropped: one file, several files, or a folder (walked recursively, e.g. a DICOM series).
 * The entries must be taken synchronously, while the drop event is still being dispatched.
 */
export function collectDroppedFiles(transfer: DataTransfer): Promise<DroppedFiles> {
  const items = [...transfer.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  // Files handed over without file-system entries (a page-made DataTransfer) are taken as a flat list.
  const loose = entries.length === 0 ? items.map((item) => item.getAsFile()).filter((f): f is File => f !== null) : [];
  return (async () => {
    if (loose.length > 0)
      return read(
        loose.length === 1 ? loose[0]!.name : 'dropped files',
        loose,
        loose.map((f) => f.name),
      );
    if (entries.length === 0) throw new Error('nothing was dropped: drop image files or a study folder');
    const files: File[] = [];
    const paths: string[] = [];
    // A single dropped folder is the study itself: its files are named relative to it.
    const single = entries.length === 1 && entries[0]!.isDirectory ? (entries[0] as FileSystemDirectoryEntry) : null;
    if (single) for (const child of await readFolder(single)) await walk(child, '', files, paths);
    else for (const entry of entries) await walk(entry, '', files, paths);
    if (files.length === 0) throw new Error('the dropped folder holds no files');
    return read(entries.length === 1 ? entries[0]!.name : 'dropped files', files, paths);
  })();
}

async function read(name: string, files: File[], paths: string[]): Promise<DroppedFiles> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > MAX_UPLOAD_BYTES) {
    throw new Error(`the dropped files hold ${(total / 2 ** 20).toFixed(0)} MiB; open studies this large by path instead`);
  }
  const data = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  return { name, files: data.map((d, n) => ({ path: paths[n]!, data: d })) };
}

async function walk(entry: FileSystemEntry, prefix: string, files: File[], paths: string[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    if (entry.name.startsWith('.')) return;
    files.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
    paths.push(path);
    return;
  }
  for (const child of await readFolder(entry as FileSystemDirectoryEntry)) await walk(child, path, files, paths);
}

async function readFolder(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries hands out a folder in batches (100 in Chromium) until it returns an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
