/**
 * The engine's shapes, apart from createEngine (handlers.ts) so the per-area handlers (project-handlers.ts, ...)
 * can name the parts they share without importing the module that imports them.
 */
import type { ApiHandlers, Study } from '../contract/index.js';
import type { Project } from '../project/project.js';
import type { ApiEvents } from './event-bus.js';
import type { JobQueue } from './job-queue.js';
import type { PathPolicy } from './paths.js';
import type { ProjectStore } from './project-store.js';
import type { RecentStudies } from './recent.js';
import type { StudyRegistry } from './studies.js';
import type { UploadArea } from './upload.js';

export interface EngineContext {
  paths: PathPolicy;
  recent: RecentStudies;
  uploads: UploadArea;
  events: ApiEvents;
  version: string;
  /** Weights propagation uses unless a project picked others (default: the shipped model). */
  modelPath?: string;
  /** Memory for decoded images kept between calls (default 2 GiB). */
  volumeBudgetBytes?: number;
  /** Runs job kinds in child processes (tests may substitute one). */
  jobs?: JobQueue;
}

export interface Engine {
  handlers: ApiHandlers;
  /**
   * uploadStudy for an upload the transport already wrote to disk through `ctx.uploads.receive` (the HTTP host
   * streams large bodies there instead of decoding them into memory).
   */
  openUpload(stored: string): Promise<Study>;
  /** Writes every pending project save now (after an unexpected fault, say), leaving everything running. */
  flush(): Promise<void>;
  /** Stops jobs and writes every pending project save: call before the process exits. */
  close(): Promise<void>;
}

/** Where the shared pieces of the engine meet: the study, project and job registries behind the handlers. */
export interface EngineParts {
  ctx: EngineContext;
  studies: StudyRegistry;
  projects: ProjectStore;
  jobs: JobQueue;
  modelPath: string;
  projectFor(studyId: string, itemId: string): Promise<Project>;
  /** Announces a project changed by something other than the caller (a job, a save): throttled `project` events. */
  announce(project: Project, now?: boolean): void;
}
