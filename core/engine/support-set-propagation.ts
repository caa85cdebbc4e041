import type { JobProgress, PropagationSettings } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import { decodePrediction, type EncodedPrediction } from '../jobs/encoded-prediction.js';
import type { JobEvent, JobParams, JobResult } from '../jobs/job-kinds.js';
import type { Project } from '../project/project.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';
import { submitted } from './project-store.js';
import { labelsToPredict, settingsFor } from './propagation-request.js';

/** The job kinds that propagate a support set: within a volume, across a folder's 2D images. */
type PropagationKind = 'propagate' | 'propagate-images';

/** A predicted example as it arrives: the project it goes into, where along the project axis, and what it holds. */
export interface Arrival {
  project: Project;
  index: number;
  prediction: EncodedPrediction;
  /** What the example was predicted from, so an unchanged one is not predicted again. */
  signature?: string;
}

/**
 * What differs between the two sources of a support set of 2D examples: the support slices of one volume, or the
 * support images of a folder study (each image with a project of its own, its one slice the example).
 */
export interface SupportSource<K extends PropagationKind> {
  kind: K;
  /** What one example is, in messages. */
  unit: 'slice' | 'image';
  studyId: string;
  itemId?: string;
  /** The projects holding the support examples; the first one's settings and model are the propagation's. */
  supportProjects: Project[];
  /** How many support examples there are. */
  examples: number;
  /** Label values on the support examples. */
  onSupport: ReadonlySet<number>;
  /** Refuses settings this source cannot run with (a volume's label extents past its last slice). */
  check?(settings: PropagationSettings): void;
  /** Words after "from N support slices" in the job's message. */
  messageSuffix?: string;
  /** The job's parameters, given the saved label files of `supportProjects` in their order. */
  params(run: { values: number[]; settings: PropagationSettings; labelsFiles: string[]; model: string }): JobParams<K>;
  /** Where a predicted example of the labels `values` goes (its project readied for it); null leaves it alone. */
  receive(event: JobEvent<K>, values: readonly number[]): Arrival | null;
  /** The projects the job predicts into: saved and announced once it ends. */
  targets: readonly Project[];
  /** What a finished job did, in words (and whatever the source keeps of its result). */
  done(result: JobResult<K>): string;
}

/**
 * Propagation from a support set, one workflow for either source: the labels to predict and the settings to run
 * with, the support's labels saved and pinned for the job to read, the job submitted, each predicted example
 * applied to its project and announced as it comes, and every project it predicted into saved when it ends.
 */
export async function propagateSupportSet<K extends PropagationKind>(
  parts: EngineParts,
  source: SupportSource<K>,
  requested: { labels?: number[]; settings: Partial<PropagationSettings> },
): Promise<JobProgress> {
  const { projects, jobs } = parts;
  const values = labelsToPredict(source.onSupport, requested.labels, source.unit);
  const lead = source.supportProjects[0]!;
  const settings = settingsFor(requested.settings, lead.propagation);
  source.check?.(settings);
  lead.setPropagation(settings);
  // The job reads the support labels from disk: they must be there, as they are now.
  for (const project of source.supportProjects) await projects.flush(project);
  const unsaved = source.supportProjects.find((p) => p.saveError);
  if (unsaved) throw new ApiError('internal', unsaved.saveError!);

  const only = requested.labels ? new Set(values) : null;
  const pins = source.supportProjects.map((p) => projects.pinLabels(p));
  const pinned = { release: () => pins.forEach((pin) => pin.release()) };
  const params = source.params({
    values,
    settings,
    labelsFiles: pins.map((pin) => pin.file),
    model: modelInfo(lead, parts.modelPath).path,
  });
  const n = source.examples;
  return submitted(pinned, () =>
    jobs.submit({
      kind: source.kind,
      params,
      studyId: source.studyId,
      ...(source.itemId ? { itemId: source.itemId } : {}),
      message: `Propagating label${values.length > 1 ? 's' : ''} ${values.join(', ')} from ${n} support ${source.unit}${n > 1 ? 's' : ''}${source.messageSuffix ?? ''}`,
      onEvent(event) {
        const arrival = source.receive(event, values);
        if (!arrival) return;
        const { labels, spread } = decodePrediction(arrival.prediction);
        if (arrival.project.applyPrediction(arrival.index, labels, spread, only, arrival.signature)) {
          projects.changed(arrival.project);
          parts.announce(arrival.project);
        }
      },
      async onFinish(outcome) {
        pinned.release();
        const summary = outcome.status === 'done' ? source.done(outcome.value) : undefined;
        for (const project of source.targets) {
          await projects.flush(project);
          parts.announce(project, true);
        }
        return summary;
      },
    }),
  );
}
