import { parseArgs } from 'node:util';
import { runTraining, type TrainingEvent } from '../train/run-training.js';
import { ProgressBar } from './progress.js';
import { onInterrupt } from './interrupt.js';
import { deviceOption, intOption, numberOption, UsageError } from './options.js';

const HELP = `usage: universeg train [options]

Trains UniverSeg (Algorithm 1 of the paper) on synthetic tasks and real datasets, on the ONNX Runtime engine.
  --data DIR           dataset folder or manifest .json (repeatable); without it: synthetic tasks only
  --synthetic W        weight of synthetic tasks against all real data together (default 1; 0 = none)
  --size S             training image size (default 64)        --support N    support set size (default 8)
  --batch B            sets per step (default 1)               --steps T      total steps (default 10000)
  --lr LR              peak Adam learning rate (default 1e-4)  --warmup W     warm-up steps (default 500)
  --clip C             global gradient-norm clip (default 1)   --seed S       seed (default 0)
  --bce W              weight of a cross-entropy term added to soft Dice (default 0.5; 0 = pure soft Dice)
  --width C            channels of a fresh network (default 64)
  --from FILE          fine-tune these weights instead of starting fresh
  --out DIR            run folder: checkpoint, model.safetensors, log.jsonl (default runs/train)
  --resume             continue the run saved in --out, bit for bit
  --checkpoint-every M steps between checkpoints (default 200; also on Ctrl-C and at the end)
  --validate-every V   steps between held-out validations (default 500)
  --log-every K        print every K-th step (default 1)       --json         one JSON line per logged step
  --no-augment         no in-task/task augmentation
  --intensity-curves P chance that a task's images go through a random non-monotonic intensity curve (default 0)
  --thin-structures P  chance that a task becomes a thin curvilinear structure painted into its images (default 0)
  --modality-noise P   chance that a task's images carry Rician, speckle, photon or correlated noise (default 0)
  --carried-support P share of propagation-like real sets whose examples are registered onto the query, as
                       propagation carries them (default 0)
  --window-size W      the side the model runs at in windows around a structure in volumes (written into the model;
                       default: --from's, else --size)
  --window-share P     share of steps trained at --window-size instead of --size (default 0)
  --device D           auto|cpu|cuda|dml|coreml (default cpu)
  --threads T          CPU threads for the engine (default: all cores)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', multiple: true },
      synthetic: { type: 'string' },
      size: { type: 'string' },
      support: { type: 'string' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      warmup: { type: 'string' },
      clip: { type: 'string' },
      bce: { type: 'string' },
      seed: { type: 'string' },
      width: { type: 'string' },
      from: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      'checkpoint-every': { type: 'string' },
      'validate-every': { type: 'string' },
      'log-every': { type: 'string' },
      json: { type: 'boolean' },
      'no-augment': { type: 'boolean' },
      'intensity-curves': { type: 'string' },
      'thin-structures': { type: 'string' },
      'modality-noise': { type: 'string' },
      'carried-support': { type: 'string' },
      'window-size': { type: 'string' },
      'window-share': { type: 'string' },
      device: { type: 'string' },
      threads: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const size = intOption('size', values.size, 64, 8);
  if (size % 8 !== 0) throw new UsageError(`--size must be a multiple of 8, got ${size}`);
  const device = deviceOption(values.device);
  const options = {
    size,
    support: intOption('support', values.support, 8),
    batch: intOption('batch', values.batch, 1),
    steps: intOption('steps', values.steps, 10000),
    lr: numberOption('lr', values.lr, 1e-4),
    warmup: intOption('warmup', values.warmup, 500, 0),
    clipNorm: numberOption('clip', values.clip, 1),
    bceWeight: numberOption('bce', values.bce, 0.5),
    seed: intOption('seed', values.seed, 0, 0),
    augment: !values['no-augment'],
    intensityCurves: numberOption('intensity-curves', values['intensity-curves'], 0),
    thinStructures: numberOption('thin-structures', values['thin-structures'], 0),
    modalityNoise: numberOption('modality-noise', values['modality-noise'], 0),
    carriedSupport: numberOption('carried-support', values['carried-support'], 0),
    windowSize: values['window-size'] === undefined ? undefined : intOption('window-size', values['window-size'], 64, 8),
    windowShare: numberOption('window-share', values['window-share'], 0),
    out: values.out ?? 'runs/train',
    resume: Boolean(values.resume),
    data: values.data ?? [],
    syntheticWeight: numberOption('synthetic', values.synthetic, 1),
    from: values.from,
    widths: values.width === undefined ? undefined : intOption('width', values.width, 64),
    checkpointEvery: intOption('checkpoint-every', values['checkpoint-every'], 200, 0),
    validateEvery: intOption('validate-every', values['validate-every'], 500, 0),
    validationSets: 24,
  };
  if (options.windowSize !== undefined && options.windowSize % 8 !== 0)
    throw new UsageError(`--window-size must be a multiple of 8, got ${options.windowSize}`);
  if (options.windowShare > 1) throw new UsageError(`--window-share is a share of steps (0..1), got ${options.windowShare}`);
  if (options.windowShare > 0 && options.windowSize === undefined) throw new UsageError('--window-share needs --window-size');
  const probabilities = {
    'intensity-curves': options.intensityCurves,
    'thin-structures': options.thinStructures,
    'modality-noise': options.modalityNoise,
    'carried-support': options.carriedSupport,
  };
  for (const [flag, p] of Object.entries(probabilities)) if (p > 1) throw new UsageError(`--${flag} is a probability (0..1), got ${p}`);
  if (options.syntheticWeight === 0 && options.data.length === 0) throw new UsageError('nothing to train on: --synthetic 0 and no --data');
  const logEvery = intOption('log-every', values['log-every'], 1);
  const json = Boolean(values.json);

  const interrupt = onInterrupt('stopping after this step and saving a checkpoint');
  const bar = new ProgressBar('train');
  const onEvent = (e: TrainingEvent) => {
    switch (e.type) {
      case 'dataset':
        console.error(`dataset ${e.name}: ${e.tasks} tasks${e.skipped.length ? `, ${e.skipped.length} files skipped` : ''}`);
        for (const s of e.skipped) console.error(`  skipped ${s.path}: ${s.reason}`);
        break;
      case 'step':
        if (e.result.step % logEvery !== 0) break;
        if (json) {
          console.log(
            JSON.stringify({
              step: e.result.step,
              loss: e.result.loss,
              diceLoss: e.result.diceLoss,
              stepsPerSecond: e.stepsPerSecond,
              gradNorm: e.result.gradNorm,
              lr: e.result.lr,
            }),
          );
        } else {
          bar.update(e.result.step, options.steps, `loss ${e.result.loss.toFixed(4)} ${e.stepsPerSecond.toFixed(2)} steps/s`);
        }
        break;
      case 'validation':
        if (json) console.log(JSON.stringify({ step: e.step, validationDice: e.dice }));
        else console.error(`\nstep ${e.step}: held-out synthetic Dice ${(100 * e.dice).toFixed(1)}`);
        break;
      case 'checkpoint':
        if (!json) console.error(`\ncheckpoint at step ${e.step} in ${e.dir}`);
        break;
    }
  };
  try {
    const { step } = await runTraining(options, onEvent, interrupt.signal, {
      device,
      threads: values.threads === undefined ? undefined : intOption('threads', values.threads, 1),
    });
    bar.done();
    console.error(`done at step ${step}; model: ${options.out}/model.safetensors`);
    return 0;
  } finally {
    interrupt.dispose();
  }
}
