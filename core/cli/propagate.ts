import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelMap } from '../data/read-label-map.js';
import type { Axis } from '../data/volume.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { defaultModelPath } from '../infer/default-model.js';
import { DEFAULT_PROPAGATION_SUPPORT, propagateVolume } from '../infer/propagate-volume.js';
import { SHAPE_PRIOR_WEIGHT } from '../infer/shape-prior.js';
import { readSourceVolume } from '../infer/read-source-volume.js';
import { writeFloatVolume } from '../infer/write-float-volume.js';
import { loadModel } from '../model/model.js';
import { formatLabelReports } from './label-report-text.js';
import { ProgressBar } from './progress.js';
import { onInterrupt } from './interrupt.js';
import { deviceOption, fractionOption, intOption, UsageError } from './options.js';

const HELP = `usage: universeg propagate VOLUME --labels PARTIAL --out OUT.nii.gz [options]

Fills the unlabelled slices of a partly labelled volume (a file, or a DICOM series folder): the labelled slices
are the support, kept exactly as given; every other slice is predicted, each label value as its own task,
from the labelled slices nearest to it and weighed against the shape interpolated from the labelled slices on
either side; where labels compete the most probable wins.
  --axis 0|1|2            index axis i, j, k the slices are cut across (default 2: axial for usual head MR)
  --labelled-slices LIST  comma-separated 0-based slice indices that count as labelled, empty ones included
                          (default: the slices holding any label)
  --slices FIRST-LAST     predict only these slices (0-based, inclusive); the others stay as PARTIAL has them
  --whole-slices          segment whole slices, not a window around each label's support labels
  --no-registration       interpolate each label's shape in place instead of carrying it along registrations of
                          neighbouring slices (faster, and what propagation did before; see README)
  --support-size N        labelled slices per support set, nearest first (default ${DEFAULT_PROPAGATION_SUPPORT})
  --ensemble K            support sets per slice, each drawing N of the 2N nearest labelled slices (default 1)
  --network-weight W      weight of the network's probability against the shape interpolated from the labelled
                          slices on either side, 0..1 (default ${SHAPE_PRIOR_WEIGHT}; 1: the network alone, 0: no network)
  --extent V:FIRST-LAST   predict label V only on slices FIRST..LAST (repeatable); by default each label ends
                          where its labelled slices say: past its outermost labelled slice by up to half their
                          spacing, or at most 0.35 of the way to a labelled slice without it
  --uncertainty FILE      also write the ensemble's per-voxel spread as a float .nii.gz (needs K > 1 and
                          fewer than all labelled slices per set to be non-zero)
  --model FILE            weights (default: assets/models/universeg-default.safetensors)
  --device D              auto|cpu|cuda|dml|coreml|webgpu (default cpu)
  --seed S                seed of the support draws (default 0)
  --json                  print a summary as JSON on stdout
  --verbose               stack traces for unexpected errors
OUT's extension picks the format: .nii.gz, .nii, .seg.nrrd, .nrrd or .mha.`;

const LABEL_FORMATS = /\.(nii\.gz|nii|seg\.nrrd|nrrd|mha)$/i;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      labels: { type: 'string' },
      out: { type: 'string' },
      axis: { type: 'string' },
      'labelled-slices': { type: 'string' },
      slices: { type: 'string' },
      'whole-slices': { type: 'boolean' },
      'no-registration': { type: 'boolean' },
      'support-size': { type: 'string' },
      ensemble: { type: 'string' },
      'network-weight': { type: 'string' },
      extent: { type: 'string', multiple: true },
      uncertainty: { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give exactly one VOLUME, got ${positionals.length} (see --help)`);
  if (!values.labels) throw new UsageError('--labels PARTIAL is required');
  if (!values.out) throw new UsageError('--out FILE is required');
  if (!LABEL_FORMATS.test(values.out)) throw new UsageError(`--out ${values.out}: use .nii.gz, .nii, .seg.nrrd, .nrrd or .mha`);
  if (values.uncertainty && !/\.nii(\.gz)?$/i.test(values.uncertainty))
    throw new UsageError(`--uncertainty ${values.uncertainty}: use .nii.gz or .nii`);
  const axis = values.axis ?? '2';
  if (!['0', '1', '2'].includes(axis)) throw new UsageError(`--axis must be 0, 1 or 2, got '${axis}'`);
  const device = deviceOption(values.device);
  const labelledSlices = values['labelled-slices']?.split(',').map((s) => intOption('labelled-slices', s.trim(), 0, 0));
  const range = values.slices === undefined ? undefined : sliceRange(values.slices);
  const networkWeight = fractionOption('network-weight', values['network-weight']) ?? SHAPE_PRIOR_WEIGHT;
  const extents = labelExtents(values.extent ?? []);
  const [volumePath] = positionals as [string];
  // Checked before minutes of work, not only when writing.
  for (const output of [values.out, values.uncertainty].filter((o): o is string => Boolean(o))) {
    for (const input of [volumePath, values.labels]) {
      if (path.resolve(output) === path.resolve(input)) throw new UsageError(`${output} is an input; write the result elsewhere`);
    }
  }

  // A folder that is not there fails now, not after the whole propagation.
  for (const output of [values.out, values.uncertainty].filter((o): o is string => Boolean(o))) await checkOutputFolder(output);
  const started = Date.now();
  const [volume, model] = await Promise.all([readSourceVolume(volumePath), loadModel(values.model ?? defaultModelPath(), { device })]);
  // A DICOM SEG is placed on the grid of the series it segments, so the image is read first.
  const { labels: partial } = await readLabelMap(path.resolve(values.labels), volume);
  const interrupt = onInterrupt('stopping; nothing will be written');
  const bar = new ProgressBar('propagate');
  try {
    const result = await propagateVolume(model, volume, partial, {
      axis: Number(axis) as Axis,
      labelledSlices,
      range,
      roi: !values['whole-slices'],
      registration: !values['no-registration'],
      supportSize: values['support-size'] === undefined ? undefined : intOption('support-size', values['support-size'], 1),
      ensemble: intOption('ensemble', values.ensemble, 1),
      networkWeight,
      extents,
      seed: intOption('seed', values.seed, 0, 0),
      signal: interrupt.signal,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.done();
    const protect = [volumePath, values.labels];
    await writeLabelVolume(values.out, result.labels, { protect });
    if (values.uncertainty) await writeFloatVolume(values.uncertainty, result.uncertainty, protect);
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      out: values.out,
      uncertainty: values.uncertainty,
      axis: result.axis,
      labelValues: result.labelValues,
      labelledSlices: result.labelledSlices,
      predictedSlices: result.predictedSlices.length,
      networkRuns: result.networkRuns,
      labels: result.perLabel,
      suggestedSlice: result.suggestedSlice,
      seconds,
      // What each step of propagation cost, in seconds (reading and writing the files aside).
      steps: Object.fromEntries(Object.entries(result.timings).map(([step, ms]) => [step, Math.round(ms) / 1000])),
    };
    const unused = [...extents.keys()].filter((v) => !result.labelValues.includes(v));
    if (unused.length)
      console.error(`warning: --extent for label${unused.length > 1 ? 's' : ''} ${unused.join(', ')}, which no labelled slice shows`);
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.error(`labels ${result.labelValues.join(', ')} from slices ${result.labelledSlices.join(', ')} along axis ${result.axis}`);
      console.error(formatLabelReports(result.perLabel));
      if (result.suggestedSlice)
        console.error(`next slice worth painting: ${result.suggestedSlice.index} (${result.suggestedSlice.reason})`);
      console.error(
        `predicted ${result.predictedSlices.length} slices (${result.networkRuns} network runs) in ${seconds.toFixed(1)} s; wrote ${values.out}${values.uncertainty ? ` and ${values.uncertainty}` : ''}`,
      );
    }
    return 0;
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    bar.done();
    console.error('interrupted; nothing was written');
    return 130;
  } finally {
    interrupt.dispose();
    await model.release();
  }
}

async function checkOutputFolder(file: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`${file}: the folder ${folder} does not exist`);
}

/** `--extent 3:40-97`, repeatable: per label value, the slices it may be predicted on. */
function labelExtents(texts: readonly string[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const text of texts) {
    const match = /^(\d+):(\d+)-(\d+)$/.exec(text.trim());
    const [value, first, last] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
    if (!match || value < 1 || value > 255 || first > last)
      throw new UsageError(`--extent must be VALUE:FIRST-LAST with a label value 1..255 and FIRST <= LAST, got '${text}'`);
    if (out.has(value)) throw new UsageError(`--extent: label ${value} is given twice`);
    out.set(value, [first, last]);
  }
  return out;
}

/** `--slices 10-40`: a 0-based inclusive range, first not after last. */
function sliceRange(text: string): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match || Number(match[1]) > Number(match[2]))
    throw new UsageError(`--slices must be FIRST-LAST with FIRST <= LAST (0-based), got '${text}'`);
  return [Number(match[1]), Number(match[2])];
}
