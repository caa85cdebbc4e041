import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import { sweepTempFiles } from '../util/temp-files.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { ApiError } from '../contract/errors.js';
import { gridMismatch } from '../data/grid-mismatch.js';
import { mapWriter } from './map-writer.js';
import {
  damage,
  generationFile,
  generationOf,
  highestGeneration,
  removeAll,
  savedProject,
  SavedProjectSchema,
  sha256File,
  strayGenerations,
  type Commit,
  type Committed,
  type SavedFile,
} from './project-commit.js';
import { Project, ProjectStateSchema, type Grid, type ProjectState } from './project.js';

/** Hidden, so that scanning the study never lists a project's maps as images. */
export const PROJECTS_DIR = '.universeg';
export const PROJECT_FILE = 'project.json';
/** The maps of a project saved before saves were commits (read, then replaced by the first commit). */
const LEGACY_MAPS = { labels: 'labels.nii.gz', uncertainty: 'uncertainty.nii.gz' } as const;
/** The raw output of the last propagation job, written by the job itself. */
export const PREDICTION_FILE = 'prediction.nii.gz';
export const MODELS_DIR = 'models';

/** `<study folder>/.universeg/<item>`: one folder per item, its name readable and free of path separators. */
export function projectFolder(studyDir: string, itemId: string): string {
  const safe =
    itemId
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 120) || 'item';
  return path.join(studyDir, PROJECTS_DIR, safe);
}

export interface OpenedProject {
  /** Null when there is none yet. */
  project: Project | null;
  /** The save it came from; null for a project saved before saves were commits (or none). */
  committed: Committed | null;
  /** What was found wrong and put right (an interrupted save), for the user to see; null when nothing was. */
  recovery: string | null;
}

/**
 * The project saved in `folder`: its last complete save. Half-written files of a save that was cut short are
 * removed first; maps a commit names that are missing or fail their checksum fall back on the save before it,
 * and say so. A project.json that cannot be read at all is an error naming the file.
 */
export async function readProject(folder: string, grid: Grid): Promise<OpenedProject> {
  await sweepTempFiles(folder);
  const file = path.join(folder, PROJECT_FILE);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) {
    const orphans = await strayGenerations(folder, []);
    await removeAll(folder, orphans);
    const recovery = orphans.length
      ? `The first save of this project was interrupted (${orphans.join(', ')} never committed); it starts afresh.`
      : null;
    return { project: null, committed: null, recovery };
  }
  const saved = parseSaved(text, file);
  if (!saved.commit) {
    const labels = await readIfPresent(path.join(folder, LEGACY_MAPS.labels), readLabelVolume);
    const uncertainty = await readIfPresent(path.join(folder, LEGACY_MAPS.uncertainty), readVolume);
    return { project: restore(folder, grid, ProjectStateSchema.parse(saved), labels, uncertainty), committed: null, recovery: null };
  }
  const candidates: Committed[] = [{ state: ProjectStateSchema.parse(saved), commit: saved.commit }];
  if (saved.previous) candidates.push({ state: ProjectStateSchema.parse(saved.previous), commit: saved.previous.commit });
  const problems: string[] = [];
  for (const candidate of candidates) {
    const wrong = await damage(folder, candidate.commit);
    if (wrong) {
      problems.push(wrong);
      continue;
    }
    const labels = await readSaved(folder, candidate.commit.labels, readLabelVolume);
    const uncertainty = await readSaved(folder, candidate.commit.uncertainty, readVolume);
    // Maps of a save that never got its commit: written, then cut short.
    const unfinished = (await strayGenerations(folder, [saved.commit, saved.previous?.commit ?? null])).filter(
      (n) => generationOf(n) > saved.commit!.generation,
    );
    await removeAll(folder, unfinished);
    const recovery = problems.length
      ? `The last save of this project is damaged (${problems.join('; ')}): the save before it (generation ${candidate.commit.generation}) was restored.`
      : unfinished.length
        ? `A save of this project was interrupted (${unfinished.join(', ')} never committed): the last complete save (generation ${candidate.commit.generation}) is open.`
        : null;
    return { project: restore(folder, grid, candidate.state, labels, uncertainty), committed: candidate, recovery };
  }
  throw new ApiError(
    'internal',
    `${file}: the saved maps are damaged (${problems.join('; ')}) and no earlier save is left; move the folder away to start afresh`,
  );
}

/**
 * Writes the project as one commit after `last`: its maps under the next generation's names (each atomically),
 * then project.json naming them with their checksums, atomically and last. Only then are the files no commit
 * needs any more removed (`inUse`: files a running job still reads). `protect`: the image's own files, never to
 * be written over. `uncertaintyChanged`: false keeps the last commit's uncertainty file.
 */
export async function writeProject(
  project: Project,
  protect: readonly string[],
  uncertaintyChanged: boolean,
  last: Committed | null,
  inUse: ReadonlySet<string>,
): Promise<Committed> {
  const { folder } = project;
  const generation = Math.max(last?.commit.generation ?? 0, await highestGeneration(folder)) + 1;
  const write = async (kind: 'labels' | 'uncertainty', map: LabelVolume | Volume): Promise<SavedFile> => {
    const file = generationFile(kind, generation);
    if (kind === 'labels') await mapWriter.write('labels', path.join(folder, file), map as LabelVolume, protect);
    else await mapWriter.write('float', path.join(folder, file), map as Volume, protect);
    return { file, sha256: await sha256File(path.join(folder, file)) };
  };
  const keptUncertainty = !uncertaintyChanged && last?.commit.uncertainty;
  const commit: Commit = {
    generation,
    labels: project.labels ? await write('labels', project.labels) : null,
    uncertainty: !project.uncertainty ? null : keptUncertainty ? keptUncertainty : await write('uncertainty', project.uncertainty),
  };
  const next = { state: project.state(), commit };
  await writeFileAtomic(path.join(folder, PROJECT_FILE), savedProject(next, last), { protect });
  await removeAll(folder, [...(await strayGenerations(folder, [commit, last?.commit ?? null], inUse)), ...Object.values(LEGACY_MAPS)]);
  return next;
}

function parseSaved(text: string, file: string) {
  let parsed;
  try {
    parsed = SavedProjectSchema.safeParse(JSON.parse(text));
  } catch {
    throw new ApiError('internal', `${file}: the saved project is not valid JSON; move it away to start afresh`);
  }
  if (!parsed.success)
    throw new ApiError(
      'internal',
      `${file}: the saved project is damaged (${parsed.error.issues[0]?.message}); move it away to start afresh`,
    );
  return parsed.data;
}

function restore(folder: string, grid: Grid, state: ProjectState, labels: LabelVolume | null, uncertainty: Volume | null): Project {
  for (const map of [labels, uncertainty]) {
    const mismatch = map && gridMismatch(grid, map);
    if (mismatch) throw new ApiError('internal', `${map.source}: does not lie on the image's grid (${mismatch})`);
  }
  // The maps read back carry their own file as source; they belong to the image again.
  const own = <T extends LabelVolume | Volume>(map: T | null): T | null => (map ? ({ ...map, ...grid, data: map.data } as T) : null);
  return Project.restore(folder, grid, state, own(labels), own(uncertainty));
}

function readSaved<T>(folder: string, saved: SavedFile | null, read: (file: string) => Promise<T>): Promise<T | null> {
  return saved ? read(path.join(folder, saved.file)) : Promise.resolve(null);
}

async function readIfPresent<T>(file: string, read: (file: string) => Promise<T>): Promise<T | null> {
  if (!(await stat(file).catch(() => null))) return null;
  return read(file);
}
