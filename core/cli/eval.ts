import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Axis } from '../data/volume.js';
import { loadHeldoutData } from '../eval/heldout-data.js';
import { DERIVED_FAMILIES, parseFamilies, PSEUDO_SUBJECTS, RIM_WIDTH, type DerivedFamily } from '../eval/derived-families.js';
import { DEFAULT_REGIMES, parseRegime, regimeName, type LabellingRegime } from '../eval/evaluate-propagation.js';
import { DEFAULT_QUERY_PLAN } from '../eval/query-plan.js';
import { formatTablesMarkdown, formatTablesText, reportTables } from '../eval/report-tables.js';
import { DEFAULT_SYNTHETIC_TASKS, runEvaluation } from '../eval/run-evaluation.js';
import { defaultModelPath } from '../infer/default-model.js';
import { loadModel } from '../model/model.js';
import { packageRoot } from '../util/package-root.js';
import { ProgressBar } from './progress.js';
import { onInterrupt } from './interrupt.js';
import { deviceOption, intOption, UsageError } from './options.js';

const HELP = `usage: universeg eval [--model FILE] [--data MANIFEST] [--json] [--report FILE.md] [options]

Dice on tasks the model never trained on, beside what the same labelled examples give without it:
  2D in-context: synthetic tasks (fresh seeds) and held-out regions of a labelled volume (support and queries
    from disjoint slabs of slices), over support sizes N and ensembles K, against the support-mean prior
    (and the nearest support slice); mean ± bootstrap std over query slices. Then families derived from the
    held-out regions (--families), each with its own table.
  Volume propagation: each held-out region labelled on every k-th slice, as the workstation propagates it (the
    network weighed against shape-based interpolation), beside each part alone, nearest-slice copy and
    morphological contour interpolation; volume Dice over the unlabelled slices, mean over regions.
Dear cells evaluate fewer queries (see --budget); the table says how many.
  --model FILE        weights (default: assets/models/universeg-default.safetensors)
  --data MANIFEST     held-out volume and regions (default: assets/eval/colin27-heldout.json)
  --no-heldout        synthetic tasks only
  --synthetic N       synthetic tasks (default ${DEFAULT_SYNTHETIC_TASKS}; 0 for none)
  --support LIST      support sizes N (default ${DEFAULT_QUERY_PLAN.supportSizes.join(',')})
  --ensemble LIST     ensemble sizes K (default ${DEFAULT_QUERY_PLAN.ensembles.join(',')})
  --budget B          support-example passes per task and cell; queries = round(B / (N·K)) (default ${DEFAULT_QUERY_PLAN.budget})
  --max-queries Q     queries per task and cell at most (default ${DEFAULT_QUERY_PLAN.maxQueries})
  --axes LIST         axes of the held-out 2D tasks (default 0,1,2)
  --families LIST     2D families derived from the held-out regions (default all with held-out data; none to skip):
                      pseudo-subject   queries from ${PSEUDO_SUBJECTS} pseudo-subjects of the volume (deformed, other intensities, bias)
                      pseudo-modality  support and queries under one random non-monotonic intensity map per task
                      thin             each region's rim, ${RIM_WIDTH} px wide at the model's input size, as the label
  --regimes LIST      propagation along axis 2, in each labelling regime (default ${DEFAULT_REGIMES.map(regimeName).join(',')}); 0 to skip:
                      extent:K  the region's first slice and every K-th after it, no empty slice
                      sparse:C  C slices across the region's extent
                      grid:K    every K-th slice of the whole volume, empty ones included (grid:K@O from slice O)
  --seed S            seed of every draw (default 0)
  --threads T         CPU threads for the engine (default: all cores)
  --device D          auto|cpu|cuda|dml|coreml|webgpu (default cpu)
  --json              the whole report, every number, as JSON on stdout (the tables go to stderr)
  --report FILE       also write the tables as Markdown (for the model card)
  --verbose           stack traces for unexpected errors`;

function listOption(name: string, value: string | undefined, fallback: readonly number[], min: number): number[] {
  if (value === undefined) return [...fallback];
  const list = value.split(',').map((v) => intOption(name, v.trim(), 0, min));
  return [...new Set(list)].sort((a, b) => a - b);
}

function familiesOption(value: string | undefined, heldout: boolean): DerivedFamily[] {
  if (value === undefined) return heldout ? [...DERIVED_FAMILIES] : [];
  let families: DerivedFamily[];
  try {
    families = parseFamilies(value);
  } catch (err) {
    throw new UsageError(`--families: ${(err as Error).message}`);
  }
  if (families.length && !heldout)
    throw new UsageError('--families derives tasks from the held-out data: drop --no-heldout, or give --families none');
  return families;
}

function regimeOption(text: string): LabellingRegime {
  try {
    return parseRegime(text);
  } catch (err) {
    throw new UsageError(`--regimes: ${(err as Error).message}`);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      'no-heldout': { type: 'boolean' },
      synthetic: { type: 'string' },
      support: { type: 'string' },
      ensemble: { type: 'string' },
      budget: { type: 'string' },
      'max-queries': { type: 'string' },
      axes: { type: 'string' },
      families: { type: 'string' },
      regimes: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      device: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (see --help)`);
  const device = deviceOption(values.device);
  const axes = listOption('axes', values.axes, [0, 1, 2], 0);
  if (axes.some((a) => a > 2)) throw new UsageError(`--axes takes 0, 1 and 2, got '${values.axes}'`);
  const regimes =
    values.regimes === '0' ? [] : values.regimes === undefined ? [...DEFAULT_REGIMES] : values.regimes.split(',').map(regimeOption);
  const plan = {
    supportSizes: listOption('support', values.support, DEFAULT_QUERY_PLAN.supportSizes, 1),
    ensembles: listOption('ensemble', values.ensemble, DEFAULT_QUERY_PLAN.ensembles, 1),
    budget: intOption('budget', values.budget, DEFAULT_QUERY_PLAN.budget),
    maxQueries: intOption('max-queries', values['max-queries'], DEFAULT_QUERY_PLAN.maxQueries),
    minQueries: DEFAULT_QUERY_PLAN.minQueries,
  };
  const modelPath = values.model ?? defaultModelPath();
  if (!values.model && !existsSync(modelPath)) {
    throw new UsageError(`no default model at ${modelPath}; pass --model FILE (a training run writes OUT/model.safetensors)`);
  }
  const dataPath = values['no-heldout'] ? undefined : (values.data ?? path.join(packageRoot(), 'assets', 'eval', 'colin27-heldout.json'));
  const families = familiesOption(values.families, dataPath !== undefined);
  if (values.report && !/\.md$/i.test(values.report)) throw new UsageError(`--report ${values.report}: give a .md file`);

  const started = Date.now();
  const [model, heldout] = await Promise.all([
    loadModel(modelPath, { device, threads: values.threads === undefined ? undefined : intOption('threads', values.threads, 1) }),
    dataPath ? loadHeldoutData(dataPath) : undefined,
  ]);
  const interrupt = onInterrupt('stopping');
  const bar = new ProgressBar('eval');
  try {
    const report = await runEvaluation(model, {
      plan,
      syntheticTasks: intOption('synthetic', values.synthetic, DEFAULT_SYNTHETIC_TASKS, 0),
      heldout,
      axes: axes as Axis[],
      families,
      propagation: { regimes },
      seed: intOption('seed', values.seed, 0, 0),
      signal: interrupt.signal,
      onProgress: (done, total, note) => bar.update(done, total, note),
    });
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    const trainStep = model.metadata['train.step'];
    const header = [
      `UniverSeg evaluation of ${modelPath}${trainStep ? ` (training step ${trainStep})` : ''}: ${model.config.inputSize}x${model.config.inputSize}, ${model.config.normalisation} intensities, on ${model.device ?? device}`,
      `${seconds.toFixed(0)} s (2D in-context ${report.seconds.inContext.toFixed(0)} s, propagation ${report.seconds.propagation.toFixed(0)} s), seed ${report.settings.seed}, ${report.settings.resamples} bootstrap resamples`,
    ];
    const tables = reportTables(report);
    const text = [
      ...header,
      '',
      formatTablesText(tables),
      ...(report.skipped.length ? ['', 'left out:', ...report.skipped.map((s) => `  ${s}`)] : []),
    ].join('\n');
    if (values.report) {
      const markdown = [
        ...header.map((h) => `${h}  `),
        '',
        formatTablesMarkdown(tables),
        ...(report.skipped.length ? ['', 'Left out:', '', ...report.skipped.map((s) => `- ${s}`)] : []),
        '',
      ].join('\n');
      await fs.writeFile(values.report, markdown);
    }
    if (values.json) {
      console.error(text);
      const modelInfo = {
        path: modelPath,
        inputSize: model.config.inputSize,
        normalisation: model.config.normalisation,
        trainStep: trainStep === undefined ? undefined : Number(trainStep),
      };
      console.log(JSON.stringify({ model: modelInfo, data: dataPath, wallSeconds: seconds, ...report }));
    } else console.log(text);
    return 0;
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    bar.done();
    console.error('interrupted');
    return 130;
  } finally {
    interrupt.dispose();
    await model.release();
  }
}
