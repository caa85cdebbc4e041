import path from 'node:path';
import { ensureFolder } from './ensure-folder.js';
import { ApiError } from '../contract/errors.js';
import type { PathPolicy } from './paths.js';
import { Project, type Grid } from '../project/project.js';
import type { Committed } from '../project/project-commit.js';
import { readProject, writeProject } from '../project/project-files.js';

export interface ProjectSource {
  folder: string;
  itemId: string;
  grid: Grid;
  /** The image's files: a save never writes over them. */
  protect: readonly string[];
}

/** Pause after an edit before saving, so a burst of strokes is one write; short enough to lose nothing that matters. */
const SAVE_DELAY_MS = 300;

/**
 * Open projects, one per project folder (two openings of one study share it), saved after every change: debounced,
 * one write at a time per project, atomically. Whatever fails to save is reported in the project's saveError and
 * retried at the next change.
 */
export class ProjectStore {
  private readonly open = new Map<string, Promise<Project>>();
  private readonly entries = new Map<
    Project,
    {
      protect: readonly string[];
      timer: NodeJS.Timeout | null;
      writing: Promise<void>;
      savedRevision: number;
      savedUncertainty: number;
      lastSaveMs: number;
      /** The save on disk; the next one commits after it. */
      committed: Committed | null;
    }
  >();
  /** Saved maps a running job still reads, by path, with how many jobs read each: kept by every later save. */
  private readonly pinned = new Map<string, number>();

  constructor(
    private readonly paths: PathPolicy,
    /** Called after each save attempt (a UI may show "saved" or the error). */
    private readonly onSaved: (project: Project) => void = () => undefined,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {}

  get(source: ProjectSource): Promise<Project> {
    let project = this.open.get(source.folder);
    if (!project) {
      project = (async () => {
        // A project folder reached through a link out of the allowed folders is not read either.
        await this.paths.resolveExisting(source.folder).catch((err: unknown) => {
          if (!(err instanceof ApiError && err.code === 'not-found')) throw err;
        });
        const opened = await readProject(source.folder, source.grid);
        const p = opened.project ?? new Project(source.folder, source.itemId, source.grid);
        p.recovery = opened.recovery;
        p.ensureSegment();
        this.entries.set(p, {
          protect: source.protect,
          timer: null,
          writing: Promise.resolve(),
          savedRevision: p.revision,
          savedUncertainty: p.uncertaintyRevision,
          lastSaveMs: 0,
          committed: opened.committed,
        });
        return p;
      })();
      project.catch(() => this.open.delete(source.folder));
      this.open.set(source.folder, project);
    }
    return project;
  }

  /**
   * Schedules a save of a changed project. A large map takes a while to compress, and the engine answers nothing
   * meanwhile: the pause before a save grows with the time the last one took, so painting stays fluid.
   */
  changed(project: Project): void {
    const entry = this.entries.get(project);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.save(project), Math.max(this.delayMs, 2 * entry.lastSaveMs));
  }

  /** Saves now (waiting for a save under way); resolves once the project on disk is the one in memory. */
  flush(project: Project): Promise<void> {
    return this.save(project);
  }

  /**
   * The saved label map as it is now (call after flush), kept on disk until `release`: a job started on it reads
   * it while later saves commit newer ones.
   */
  pinLabels(project: Project): { file: string; release(): void } {
    const saved = this.entries.get(project)?.committed?.commit.labels;
    if (!saved) throw new ApiError('internal', `${project.folder}: the label map is not saved yet`);
    const file = path.join(project.folder, saved.file);
    this.pinned.set(file, (this.pinned.get(file) ?? 0) + 1);
    let released = false;
    return {
      file,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.pinned.get(file) ?? 1) - 1;
        if (left > 0) this.pinned.set(file, left);
        else this.pinned.delete(file);
      },
    };
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((p) => this.save(p)));
  }

  private save(project: Project): Promise<void> {
    const entry = this.entries.get(project)!;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.writing = entry.writing.then(async () => {
      if (project.revision === entry.savedRevision) return;
      const revision = project.revision;
      const uncertainty = project.uncertaintyRevision;
      const started = Date.now();
      try {
        // Cleared by the policy level by level before anything is made: `.universeg` may be a link out.
        await ensureFolder(this.paths, project.folder);
        entry.committed = await writeProject(
          project,
          entry.protect,
          uncertainty !== entry.savedUncertainty,
          entry.committed,
          new Set(this.pinned.keys()),
        );
        entry.savedRevision = revision;
        entry.savedUncertainty = uncertainty;
        project.savedAt = new Date().toISOString();
        project.saveError = null;
        entry.lastSaveMs = Date.now() - started;
      } catch (err) {
        project.saveError = `could not save the project in ${project.folder}: ${err instanceof Error ? err.message : String(err)}`;
      }
      this.onSaved(project);
    });
    return entry.writing;
  }
}

/** A job submitted with saved files pinned for it: a refused submission releases them at once. */
export function submitted<T>(pin: { release(): void }, submit: () => T): T {
  try {
    return submit();
  } catch (err) {
    pin.release();
    throw err;
  }
}
