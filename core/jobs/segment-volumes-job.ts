import fs from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../data/read-label-volume.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writeBatchReport } from '../infer/batch-report.js';
import { segmentVolumes } from '../infer/segment-volumes.js';
import { loadModel } from '../model/model.js';
import { sha256File } from '../project/project-commit.js';
import { ioError } from '../util/io-error.js';
import type { JobContext } from './job-protocol.js';
import { BATCH_REPORT_FILE, type BatchVolumeEvent, type SegmentVolumesJobParams } from './segment-volumes-job-spec.js';

/** A volume's progress goes out when it moved at least this far (a volume reports every network run). */
const PROGRESS_STEP = 0.05;

/**
 * "Segment the rest" in a job process: the same segmentVolumes as `universeg segment` with support volumes, with
 * the study's labelled volumes as the support and every other volume as the study, resuming whatever was done
 * before from the same support, settings and model. Each volume's state and progress go to the host as events; the
 * report is written beside the label maps, as JSON and CSV.
 */
export async function segmentVolumesJob(params: SegmentVolumesJobParams, ctx: JobContext<BatchVolumeEvent>) {
  const model = await loadModel(params.model, { device: 'cpu' });
  try {
    const pairs = await Promise.all(params.supports.map((s) => stageSupport(params.out, s)));
    let current: { input: string; sent: number } | null = null;
    let finished = 0;
    let total = 0;
    const send = (input: string, state: BatchVolumeEvent['state'], progress: number, note?: string) =>
      ctx.event({ type: 'volume', input, state, progress, ...(note ? { note } : {}) });
    const result = await segmentVolumes(model, {
      pairs,
      input: params.study,
      out: params.out,
      resume: true,
      registration: params.registration,
      seed: params.seed,
      modelId: await sha256File(params.model),
      exclude: params.supports.map((s) => s.itemId),
      ...(params.within ? { within: params.within } : {}),
      ...(params.networkWeight === undefined ? {} : { networkWeight: params.networkWeight }),
      signal: ctx.signal,
      onVolume(input, state, note) {
        if (state === 'started') current = { input, sent: 0 };
        send(input, state === 'started' ? 'running' : state, state === 'written' || state === 'resumed' ? 1 : 0, note);
        // Resumed volumes come before the count of those to do and are not part of it.
        if (state === 'written' || state === 'skipped') finished++;
        if (state !== 'resumed') ctx.progress(finished, Math.max(total, finished, 1), `${finished} / ${Math.max(total, finished)} volumes`);
      },
      onProgress(stage, done, all) {
        if (stage === 'volumes') total = all;
        else if (stage === 'leave-one-out') ctx.progress(0, 1, `weighing the network against the registered support (${done} / ${all})`);
        else if (current && all > 0 && done / all - current.sent >= PROGRESS_STEP) {
          // Every other stage is the current volume's network runs.
          current.sent = done / all;
          send(current.input, 'running', current.sent);
          ctx.progress(finished + current.sent, total, `${finished} / ${total} volumes`);
        }
      },
    });
    const report = path.join(params.out, BATCH_REPORT_FILE);
    const summary = { writtenAt: new Date().toISOString(), supportSubjects: result.supportSubjects };
    await writeBatchReport(report, result.rows, summary);
    await writeBatchReport(path.join(params.out, 'report.csv'), result.rows, summary);
    return { written: result.written.length, resumed: result.resumed.length, skipped: result.skipped.length, report };
  } finally {
    await model.release();
  }
}

/**
 * A support volume's label map as segmentVolumes reads support: a `.seg.nrrd` carrying the project's label names
 * and colours, under a name that stays the same from one save of the project to the next (the project's own file
 * is named by its save generation), so that an unchanged support resumes.
 */
async function stageSupport(out: string, support: SegmentVolumesJobParams['supports'][number]) {
  const labels = await readLabelVolume(support.labelsFile);
  const present = new Set(labels.data);
  const folder = path.join(out, '.universeg', 'support');
  const file = path.join(folder, `${support.itemId.replace(/[^\w.-]+/g, '_')}.seg.nrrd`);
  await fs.mkdir(folder, { recursive: true }).catch((err: unknown) => {
    throw ioError(folder, err);
  });
  const segments = support.segments.filter((s) => present.has(s.value)).map(({ value, name, color }) => ({ value, name, color }));
  await writeLabelVolume(file, labels, { segments, protect: [support.image] });
  return { name: support.itemId, image: support.image, labels: file };
}
