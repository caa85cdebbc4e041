import { runTraining } from '../train/run-training.js';
import type { JobContext } from './job-protocol.js';
import type { TrainJobEvent, TrainJobParams } from './train-job-spec.js';

/** Training in a job process: every step is a progress report, validations and checkpoints are events. */
export async function trainJob(params: TrainJobParams, ctx: JobContext<TrainJobEvent>) {
  return runTraining(
    params.options,
    (e) => {
      if (e.type === 'step') ctx.progress(e.result.step, params.options.steps, `loss ${e.result.loss.toFixed(4)}`);
      ctx.event(e.type === 'step' ? { type: 'step', step: e.result.step, loss: e.result.loss, stepsPerSecond: e.stepsPerSecond } : e);
    },
    ctx.signal,
    params.engine,
  );
}
