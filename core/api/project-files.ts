import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import { writeFileAtomic } from '../data/write-file-atomic.js';
import { ApiError } from './errors.js';
import { gridMismatch } from './grid-mismatch.js';
import { mapWriter } from './map-writer.js';
import { Project, ProjectStateSchema, type Grid } from './project.js';

/** Hidden, so that scanning the study never lists a project's maps as images. */
export const PROJECTS_DIR = '.universeg';
export const PROJECT_FILE = 'project.json';
export const LABELS_FILE = 'labels.nii.gz';
export const UNCERTAINTY_FILE = 'uncertainty.nii.gz';
/** The raw output of the last propagation job, written by the job itself. */
export const PREDICTION_FILE = 'prediction.nii.gz';
export const MODELS_DIR = 'models';

/** `<study folder>/.universeg/<item>`: one folder per item, its name readable and free of path separators. */
export function projectFolder(studyDir: string, itemId: string): string {
  const safe = itemId.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'item';
  return path.join(studyDir, PROJECTS_DIR, safe);
}

/** The project saved in `folder`, or null when there is none yet. A damaged one is an error naming the file. */
export async function readProject(folder: string, grid: Grid): Promise<Project | null> {
  const file = path.join(folder, PROJECT_FILE);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  let parsed;
  try {
    parsed = ProjectStateSchema.safeParse(JSON.parse(text));
  } catch {
    throw new ApiError('internal', `${file}: the saved project is not valid JSON; move it away to start afresh`);
  }
  if (!parsed.success) throw new ApiError('internal', `${file}: the saved project is damaged (${parsed.error.issues[0]?.message}); move it away to start afresh`);
  const labels = await readIfPresent(path.join(folder, LABELS_FILE), readLabelVolume);
  const uncertainty = await readIfPresent(path.join(folder, UNCERTAINTY_FILE), readVolume);
  for (const [name, map] of [[LABELS_FILE, labels], [UNCERTAINTY_FILE, uncertainty]] as const) {
    const mismatch = map && gridMismatch(grid, map);
    if (mismatch) throw new ApiError('internal', `${path.join(folder, name)}: does not lie on the image's grid (${mismatch})`);
  }
  // The maps read back carry their own file as source; they belong to the image again.
  const own = <T extends LabelVolume | Volume>(map: T | null): T | null => (map ? ({ ...map, ...grid, data: map.data } as T) : null);
  return Project.restore(folder, grid, parsed.data, own(labels), own(uncertainty));
}

/**
 * Writes the project: maps first, then project.json, each atomically, so a crash leaves the previous save or the
 * new one, never a torn file. `protect`: the image's own files, never to be written over.
 */
export async function writeProject(project: Project, protect: readonly string[], withUncertainty: boolean): Promise<void> {
  await mkdir(project.folder, { recursive: true });
  if (project.labels) await mapWriter.write('labels', path.join(project.folder, LABELS_FILE), project.labels, protect);
  if (withUncertainty && project.uncertainty) await mapWriter.write('float', path.join(project.folder, UNCERTAINTY_FILE), project.uncertainty, protect);
  await writeFileAtomic(path.join(project.folder, PROJECT_FILE), `${JSON.stringify(project.state(), null, 1)}\n`, { protect });
}

async function readIfPresent<T>(file: string, read: (file: string) => Promise<T>): Promise<T | null> {
  if (!(await stat(file).catch(() => null))) return null;
  return read(file);
}
