import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ProjectStateSchema, type ProjectState } from './project.js';

/**
 * A project save is one commit: the maps go to files named after the save's generation (labels.g17.nii.gz), then
 * project.json, written last and atomically, names that generation's files with their checksums. A save cut short
 * leaves project.json naming the last complete generation, whose files are still there; the generation before
 * it is kept too, so that a commit whose files turn out damaged can fall back on it.
 */
export const MAP_KINDS = ['labels', 'uncertainty'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

const GENERATION_FILE = /^(labels|uncertainty)\.g(\d+)\.nii\.gz$/;

const SavedFileSchema = z.object({
  // Only a name of the project's own shape: a project.json can never point a read elsewhere.
  file: z.string().regex(GENERATION_FILE),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SavedFile = z.infer<typeof SavedFileSchema>;

export const CommitSchema = z.object({
  generation: z.int().positive(),
  labels: SavedFileSchema.nullable(),
  uncertainty: SavedFileSchema.nullable(),
});
export type Commit = z.infer<typeof CommitSchema>;

/** A complete save: the project's state and the files holding its maps. */
export interface Committed {
  state: ProjectState;
  commit: Commit;
}

/** project.json: the state, its commit (absent in projects saved before commits), and the commit before it. */
export const SavedProjectSchema = ProjectStateSchema.extend({
  commit: CommitSchema.optional(),
  previous: ProjectStateSchema.extend({ commit: CommitSchema }).nullable().optional(),
});

export function generationFile(kind: MapKind, generation: number): string {
  return `${kind}.g${generation}.nii.gz`;
}

/** project.json's content for `next`, keeping `last` to fall back on. */
export function savedProject(next: Committed, last: Committed | null): string {
  const previous = last ? { ...last.state, commit: last.commit } : null;
  return `${JSON.stringify({ ...next.state, commit: next.commit, previous }, null, 1)}\n`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Null when every file `commit` names is there with its checksum; else what is wrong, naming the file. */
export async function damage(folder: string, commit: Commit): Promise<string | null> {
  for (const saved of [commit.labels, commit.uncertainty]) {
    if (!saved) continue;
    const actual = await sha256File(path.join(folder, saved.file)).catch(() => null);
    if (actual === null) return `${saved.file} is missing`;
    if (actual !== saved.sha256) return `${saved.file} does not match its checksum`;
  }
  return null;
}

/** Generation files in `folder` that no commit in `keep` names and that are not `inUse`. */
export async function strayGenerations(
  folder: string,
  keep: readonly (Commit | null)[],
  inUse: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const named = new Set(keep.flatMap((c) => (c ? [c.labels?.file, c.uncertainty?.file] : [])));
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => GENERATION_FILE.test(name) && !named.has(name) && !inUse.has(path.join(folder, name)));
}

/** The generation of a generation file's name (0 for any other name). */
export function generationOf(name: string): number {
  return Number(GENERATION_FILE.exec(name)?.[2] ?? 0);
}

/** The newest generation any file in `folder` has, committed or not: the next save must not reuse its names. */
export async function highestGeneration(folder: string): Promise<number> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return Math.max(0, ...names.map(generationOf));
}

export async function removeAll(folder: string, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => rm(path.join(folder, name), { force: true })));
}
