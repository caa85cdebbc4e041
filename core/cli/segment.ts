import { parseArgs } from 'node:util';
import { defaultModelPath } from '../infer/default-model.js';
import { pairSupportFiles, type SupportPair } from '../infer/pair-support-files.js';
import { segmentStudy, type SegmentStudyOptions } from '../infer/segment-study.js';
import { DEFAULT_NETWORK } from '../infer/atlas-segmentation.js';
import { supportIsVolumetric } from '../infer/segment-volumes.js';
import { parseShard } from '../infer/shard.js';
import { loadModel } from '../model/model.js';
import type { DeviceRequest } from '../model/session.js';
import { ProgressBar } from './progress.js';
import { onInterrupt } from './interrupt.js';
import { deviceOption, fractionOption, intOption, UsageError } from './options.js';
import { segmentVolumeBatch } from './segment-volumes.js';

const HELP = `usage: universeg segment --support-images DIR --support-labels DIR --input DIR --out DIR [options]

Segments every image in --input from labelled examples: support images and label maps pair up by file name
(extension aside). Each label value of the support is its own task. Each 2D input gets a PNG of its own size in
--out under the same base name (a 0/255 mask from a single-label support; from a multi-label one, an indexed PNG
whose pixel values are the support's label values, coloured by its palette); each volume a .nii.gz in its own
geometry, segmented slice by slice along its last axis.
With support volumes (labelled volumes, fully or on a few slices), each support subject is registered onto each
study volume (elastix, affine then B-spline); the network predicts every label value as its own task from the
registered support slices, weighed per label against the registered labels (the multi-atlas prior) by
leave-one-out over the support subjects. The output keeps the support's label values, names and colours.
  --report FILE       per volume and label: mL, slice range, uncertainty, estimated Dice, time, skips (.csv or .json)
  --resume            skip volumes already written with the same support, settings and model (support volumes)
  --format F          nii.gz (default) or seg.nrrd for volumes; a DICOM series always gets a DICOM SEG
  --network-weight W  the network's weight against the registered labels for every label: with 2D support, against
                      the support example that fits each image best once registered onto it (default 0.75); with
                      support volumes, against the registered support subjects (default: leave-one-out)
  --no-registration   2D support: the network alone on the examples as given. By default each example the network is
                      shown is also registered onto the image (demons), and the network's run on the examples as
                      given is averaged with its run on the registered ones before the weighing above
  --ensemble K        support sets whose probabilities are averaged (default 1; 2D support only)
  --support-size N    examples per support set (default: all of them, up to 64; with more, each set draws N;
                      with support volumes, up to N of the registered slices at and beside each query slice, default 8)
  --model FILE        weights (default: assets/models/universeg-default.safetensors)
  --device D          auto|cpu|cuda|dml|coreml|webgpu (default cpu)
  --shard i/n         only the i-th of n parts of the inputs (1-based, round-robin over the sorted inputs)
  --seed S            seed of the support draws (default 0)
  --json              print the summary as JSON on stdout
  --verbose           stack traces for unexpected errors
Exit status: 0 every input done; 3 some skipped (each named with the reason); 2 usage error; 1 nothing done.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'support-images': { type: 'string' },
      'support-labels': { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string' },
      ensemble: { type: 'string' },
      'support-size': { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string' },
      shard: { type: 'string' },
      seed: { type: 'string' },
      report: { type: 'string' },
      resume: { type: 'boolean' },
      format: { type: 'string' },
      'network-weight': { type: 'string' },
      'no-registration': { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  for (const name of ['support-images', 'support-labels', 'input', 'out'] as const) {
    if (!values[name]) throw new UsageError(`--${name} is required (see --help)`);
  }
  const device = deviceOption(values.device);
  let shard;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (err) {
    throw new UsageError(`--shard: ${(err as Error).message}`);
  }
  // Checked before any folder is read: a wrong argument is a usage error (exit 2) whatever the folders hold.
  const networkWeight = fractionOption('network-weight', values['network-weight']);
  if (values['no-registration'] && networkWeight !== undefined)
    throw new UsageError('--network-weight weighs the network against registered examples: drop it or --no-registration');
  const options: SegmentStudyOptions = {
    supportImages: values['support-images']!,
    supportLabels: values['support-labels']!,
    input: values.input!,
    out: values.out!,
    ensemble: intOption('ensemble', values.ensemble, 1),
    supportSize: values['support-size'] === undefined ? undefined : intOption('support-size', values['support-size'], 1),
    seed: intOption('seed', values.seed, 0, 0),
    shard,
  };

  // itk-wasm prints its failures with console.log: keep stdout for our own summary.
  const print = console.log;
  console.log = console.error;
  try {
    const { pairs } = await pairSupportFiles(options.supportImages, options.supportLabels);
    if (await supportIsVolumetric(pairs)) {
      if (values['no-registration']) throw new UsageError('--no-registration is for 2D support: support volumes are always registered');
      return await segmentVolumesCommand({ ...options, networkWeight }, pairs, values, device, print);
    }
    if (values.report || values.resume || values.format) throw new UsageError('--report, --resume and --format need support volumes');
    return await segment({ ...options, networkWeight, registration: !values['no-registration'] }, { ...values, device }, print);
  } finally {
    console.log = print;
  }
}

async function segmentVolumesCommand(
  options: SegmentStudyOptions,
  pairs: SupportPair[],
  values: { model?: string; json?: boolean; report?: string; resume?: boolean; format?: string },
  device: DeviceRequest,
  print: (text: string) => void,
): Promise<number> {
  const format = values.format === undefined ? undefined : `.${values.format.replace(/^\./, '')}`;
  if (format !== undefined && format !== '.nii.gz' && format !== '.seg.nrrd')
    throw new UsageError(`--format: nii.gz or seg.nrrd, not ${values.format}`);
  const modelFile = values.model ?? defaultModelPath();
  const model = await loadModel(modelFile, { device });
  const interrupt = onInterrupt('stopping; label maps already written are complete');
  try {
    return await segmentVolumeBatch(
      model,
      {
        ...options,
        pairs,
        modelFile,
        format: format as '.nii.gz' | '.seg.nrrd' | undefined,
        networkWeight: options.networkWeight,
        network: { ...DEFAULT_NETWORK, supportSize: options.supportSize ?? DEFAULT_NETWORK.supportSize },
        resume: values.resume,
        report: values.report,
        json: values.json,
        seed: options.seed ?? 0,
        signal: interrupt.signal,
      },
      print,
    );
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    console.error('interrupted; no partial file was left behind');
    return 130;
  } finally {
    interrupt.dispose();
    await model.release();
  }
}

async function segment(
  options: SegmentStudyOptions,
  values: { model?: string; device: DeviceRequest; json?: boolean },
  print: (text: string) => void,
): Promise<number> {
  const started = Date.now();
  const model = await loadModel(values.model ?? defaultModelPath(), { device: values.device });
  const interrupt = onInterrupt('stopping; masks already written are complete');
  const bar = new ProgressBar('segment');
  try {
    const result = await segmentStudy(model, {
      ...options,
      signal: interrupt.signal,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    if (values.json) {
      print(JSON.stringify({ ...result, seconds }, null, 2));
    } else {
      console.error(
        `wrote ${result.written.length} mask(s) to ${options.out} from ${result.supportExamples} support example(s) in ${seconds.toFixed(1)} s`,
      );
      if (result.skipped.length) console.error(`skipped ${result.skipped.length}:`);
      for (const s of result.skipped) console.error(`  ${s.path}: ${s.reason}`);
    }
    if (result.written.length === 0 && (result.skipped.length > 0 || result.studyInputs === 0)) {
      if (result.studyInputs === 0) console.error(`universeg segment: no images found in ${options.input}`);
      return 1;
    }
    return result.skipped.length ? 3 : 0;
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    bar.done();
    console.error('interrupted; no partial file was left behind');
    return 130;
  } finally {
    interrupt.dispose();
    await model.release();
  }
}
