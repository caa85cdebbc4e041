import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { probeFile } from '../data/probe-file.js';
import { readStudyItem } from '../data/read-study-item.js';
import type { StudyItem, StudyProblem } from '../data/scan-study.js';
import { segmentsFor, type Segment } from '../data/segment.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import { writeDicomSeg } from '../data/write-dicom-seg.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import type { Model } from '../model/model.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import {
  DEFAULT_NETWORK,
  fuseAtlases,
  networkProbabilities,
  registerAtlas,
  weigh,
  type NetworkSettings,
  type RegisteredAtlas,
} from './atlas-segmentation.js';
import { atlasWeights, CANDIDATE_WEIGHTS, FALLBACK_WEIGHT, type AtlasWeights } from './atlas-weights.js';
import type { BatchReportRow } from './batch-report.js';
import { LabelMerge } from './label-merge.js';
import { loadAtlases } from './load-atlases.js';
import type { SupportPair } from './pair-support-files.js';
import type { Shard } from './shard.js';
import { scanStudyShard } from './study-shard.js';
import { DEFAULT_REGISTRATION, type RegistrationSettings } from './volume-registration.js';

export interface SegmentVolumesOptions {
  pairs: readonly SupportPair[];
  input: string;
  out: string;
  /** Output format of volumes that are not DICOM series (a DICOM series gets a DICOM SEG). */
  format?: '.nii.gz' | '.seg.nrrd';
  shard?: Shard;
  /** Skip a volume whose output was written with the same support, settings and model. */
  resume?: boolean;
  /** The network's weight for every label instead of the leave-one-out choice. */
  networkWeight?: number;
  registration?: RegistrationSettings;
  network?: NetworkSettings;
  seed?: number;
  /** Identifies the model (e.g. its file's hash): part of what --resume compares. */
  modelId: string;
  /** The folder the study's links and headers' data files may not leave (the app's path policy); default: no limit. */
  within?: string;
  /** Ids of study items (scanStudy's) not to segment: in the app, the study's own support volumes. */
  exclude?: readonly string[];
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Each study volume's turn: started, then written, resumed (done before) or skipped with why. */
  onVolume?: (input: string, state: 'started' | 'written' | 'resumed' | 'skipped', note?: string) => void;
  signal?: AbortSignal;
}

export interface SegmentVolumesResult {
  written: { input: string; output: string }[];
  resumed: { input: string; output: string }[];
  skipped: StudyProblem[];
  rows: BatchReportRow[];
  weights: AtlasWeights;
  studyInputs: number;
  supportSubjects: number;
}

/** True when the support pairs hold volumes (checked from the first pair's header), so the study is one of volumes. */
export async function supportIsVolumetric(pairs: readonly SupportPair[]): Promise<boolean> {
  for (const pair of pairs) {
    const probe = await probeFile(pair.image).catch(() => undefined);
    if (probe) return probe.kind === 'volume';
  }
  return false;
}

/**
 * Segments every volume of a study from labelled support volumes (issue #16). Each support subject is registered
 * onto each study volume (volume-registration.ts); their carried labels, fused, are a multi-atlas prior, and the
 * network predicts each label on each slice from the registered support slices there (atlas-segmentation.ts); the
 * two are weighed per label by leave-one-out over the support subjects (atlas-weights.ts). Every label keeps its
 * value, name and colour. What cannot be used (a support pair on two grids, a 2D image among volumes, a volume
 * that will not register) is skipped with its reason and the rest goes on.
 */
export async function segmentVolumes(model: Model, options: SegmentVolumesOptions): Promise<SegmentVolumesResult> {
  const skipped: StudyProblem[] = [];
  const loaded = await loadAtlases(options.pairs);
  skipped.push(...loaded.problems);
  for (const p of loaded.planar)
    skipped.push({ path: p.image, reason: 'a 2D support image among support volumes: left out (segment 2D images from 2D support)' });
  if (loaded.atlases.length === 0)
    throw new Error(
      `none of the ${options.pairs.length} support pairs is a usable labelled volume: ${skipped.map((p) => `${p.path}: ${p.reason}`).join('; ')}`,
    );
  const { atlases, values } = loaded;
  const segments = segmentsFor(Uint8Array.from(values), loaded.segments);

  const shardOf = await scanStudyShard(options.input, options.out, options.shard, options.within ? { within: options.within } : {});
  const { scan, outputs } = shardOf;
  skipped.push(...shardOf.problems);
  const excluded = new Set(options.exclude);
  const items = shardOf.items.filter((item) => !excluded.has(item.id));

  const registration = options.registration ?? DEFAULT_REGISTRATION;
  const network = options.network ?? DEFAULT_NETWORK;
  const settings = {
    registration,
    network,
    networkWeight: options.networkWeight ?? null,
    seed: options.seed ?? 0,
    format: options.format ?? '.nii.gz',
  };
  const signature = await supportSignature(atlases.map((a) => a.source).concat(options.pairs.map((p) => p.labels)), {
    ...settings,
    model: options.modelId,
  });

  const rows: BatchReportRow[] = skipped.map((p) => skippedRow(p.path, p.reason));
  const result: SegmentVolumesResult = {
    written: [],
    resumed: [],
    skipped,
    rows,
    weights: { labels: [], folds: 0, problems: [], milliseconds: 0 },
    studyInputs: scan.items.length + scan.problems.length,
    supportSubjects: atlases.length,
  };
  const todo: { item: StudyItem; input: string; output: string }[] = [];
  for (const item of items) {
    const input = item.kind === 'dicom-series' ? path.dirname(item.paths[0]!) : item.paths[0]!;
    const base = outputs.get(item.id)!.replace(/\.nii\.gz$/, '');
    const output = item.kind === 'dicom-series' ? `${base}.seg.dcm` : `${base}${settings.format}`;
    if (item.kind === 'image2d') {
      const reason = 'a 2D image in a study segmented from support volumes: segment it with 2D support';
      skipped.push({ path: input, reason });
      rows.push(skippedRow(input, reason));
      continue;
    }
    const done = options.resume ? await finishedRun(output, signature) : undefined;
    if (done) {
      result.resumed.push({ input, output });
      options.onVolume?.(input, 'resumed');
      rows.push(...done.map((r) => ({ ...r, status: 'resumed' as const })));
      continue;
    }
    todo.push({ item, input, output });
  }
  if (todo.length === 0) return result;

  // The weights need only the support: computed once for the batch, before the first volume; skipped when the
  // user sets the weight (the estimate then goes unreported).
  if (options.networkWeight === undefined)
    result.weights = await atlasWeights(model, atlases, values, {
      registration,
      network,
      seed: settings.seed,
      signal: options.signal,
      onProgress: (d, t) => options.onProgress?.('leave-one-out', d, t),
    });
  const weightOf = new Map(
    values.map((v) => [v, options.networkWeight ?? result.weights.labels.find((l) => l.value === v)?.weight ?? FALLBACK_WEIGHT]),
  );
  const protectedPaths = new Set(
    await Promise.all([...scan.items.flatMap((i) => i.paths), ...options.pairs.flatMap((p) => [p.image, p.labels])].map(realPath)),
  );

  for (const [n, { item, input, output }] of todo.entries()) {
    options.signal?.throwIfAborted();
    options.onProgress?.('volumes', n, todo.length);
    options.onVolume?.(input, 'started');
    const started = performance.now();
    try {
      if (protectedPaths.has(await realPath(output)))
        throw new Error(`its output ${output} would overwrite an input; choose another --out`);
      const query = await readStudyItem(item);
      if (query.dimension !== 3) throw new Error('a 2D image in a study segmented from support volumes: segment it with 2D support');
      const registered: RegisteredAtlas[] = [];
      const notes: string[] = [];
      for (const atlas of atlases) {
        try {
          registered.push(await registerAtlas(query, atlas, values, registration));
        } catch (err) {
          notes.push(`${path.basename(atlas.source)} did not register: ${(err as Error).message}`);
        }
      }
      if (registered.length === 0) throw new Error(`no support volume registered onto it (${notes.join('; ')})`);
      const prior = fuseAtlases(registered, values);
      const probabilities = await networkProbabilities(model, query, registered, prior, {
        settings: network,
        seed: settings.seed,
        signal: options.signal,
        onProgress: (d, t) => options.onProgress?.(path.basename(input), d, t),
      });
      const merge = new LabelMerge(query.data.length);
      const combined = new Map(values.map((v) => [v, weigh(probabilities.get(v)!, prior.get(v)!, weightOf.get(v)!)]));
      for (const [v, p] of combined) merge.add(v, p);
      const labels: LabelVolume = {
        data: merge.label,
        size: query.size,
        spacing: query.spacing,
        origin: query.origin,
        direction: query.direction,
        dimension: 3,
        source: input,
      };
      await fs.mkdir(path.dirname(output), { recursive: true }).catch((err: unknown) => {
        throw ioError(path.dirname(output), err);
      });
      if (item.kind === 'dicom-series') await writeDicomSeg(output, labels, item.paths, segments);
      else await writeLabelVolume(output, labels, { segments, protect: item.paths });
      const seconds = (performance.now() - started) / 1000;
      const volumeRows = labelRows(query, labels, combined, segments, result.weights, weightOf, {
        input,
        output,
        seconds,
        note: notes.join('; '),
      });
      await fs.mkdir(path.dirname(runRecord(output)), { recursive: true });
      await writeFileAtomic(runRecord(output), JSON.stringify({ signature, rows: volumeRows }));
      rows.push(...volumeRows);
      result.written.push({ input, output });
      options.onVolume?.(input, 'written');
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const message = (err as Error).message;
      const reason = message.startsWith(`${input}: `) ? message.slice(input.length + 2) : message;
      skipped.push({ path: input, reason });
      rows.push(skippedRow(input, reason));
      options.onVolume?.(input, 'skipped', reason);
    }
  }
  options.onProgress?.('volumes', todo.length, todo.length);
  return result;
}

/** Per label of one segmented volume: its size, where it lies, how sure the prediction is and what was expected. */
function labelRows(
  query: Volume,
  labels: LabelVolume,
  probabilities: ReadonlyMap<number, Float32Array>,
  segments: readonly Segment[],
  weights: AtlasWeights,
  weightOf: ReadonlyMap<number, number>,
  run: { input: string; output: string; seconds: number; note: string },
): BatchReportRow[] {
  const plane = query.size[0] * query.size[1];
  const voxelMl = (query.spacing[0] * query.spacing[1] * query.spacing[2]) / 1000;
  return [...probabilities].map(([value, p]) => {
    let count = 0;
    let first = -1;
    let last = -1;
    let uncertainty = 0;
    let near = 0;
    for (let n = 0; n < labels.data.length; n++) {
      if (labels.data[n] === value) {
        count++;
        const k = Math.floor(n / plane);
        if (first < 0) first = k;
        last = k;
      }
      if (p[n]! >= 0.05) {
        uncertainty += 1 - Math.abs(2 * p[n]! - 1);
        near++;
      }
    }
    const loo = weights.labels.find((l) => l.value === value);
    return {
      volume: run.input,
      output: run.output,
      status: 'segmented',
      label: value,
      name: segments.find((s) => s.value === value)?.name ?? null,
      volumeMl: count * voxelMl,
      firstSlice: first < 0 ? null : first,
      lastSlice: last < 0 ? null : last,
      meanUncertainty: near ? uncertainty / near : null,
      estimatedDice:
        weightOf.get(value) === loo?.weight
          ? (loo?.estimatedDice ?? null)
          : (loo?.dice[(CANDIDATE_WEIGHTS as readonly number[]).indexOf(weightOf.get(value)!)] ?? null),
      priorDice: loo?.priorDice ?? null,
      networkDice: loo?.networkDice ?? null,
      networkWeight: weightOf.get(value)!,
      seconds: run.seconds,
      note: count === 0 ? `label absent from the result${run.note ? `; ${run.note}` : ''}` : run.note,
    };
  });
}

function skippedRow(volume: string, reason: string): BatchReportRow {
  return {
    volume,
    output: null,
    status: 'skipped',
    label: null,
    name: null,
    volumeMl: null,
    firstSlice: null,
    lastSlice: null,
    meanUncertainty: null,
    estimatedDice: null,
    priorDice: null,
    networkDice: null,
    networkWeight: null,
    seconds: null,
    note: reason,
  };
}

/** Where a written volume's record lies: what it was made from (for --resume) and its report rows. */
function runRecord(output: string): string {
  return path.join(path.dirname(output), '.universeg', `${path.basename(output)}.json`);
}

/** The report rows of a finished run of `output` with this signature, or undefined. */
async function finishedRun(output: string, signature: string): Promise<BatchReportRow[] | undefined> {
  const exists = await fs.stat(output).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  const record = await fs.readFile(runRecord(output), 'utf8').then(
    (t) => JSON.parse(t) as { signature: string; rows: BatchReportRow[] },
    () => undefined,
  );
  return record?.signature === signature ? record.rows : undefined;
}

/** sha256 over the support files' bytes, the settings and the model: what a finished volume was made from. */
async function supportSignature(files: readonly string[], settings: unknown): Promise<string> {
  const hash = createHash('sha256');
  // Names without their folders, so that every machine of a cluster agrees on it.
  for (const file of [...new Set(files)].sort()) {
    hash.update(path.basename(file));
    hash.update(
      await fs.readFile(file).catch((err: unknown) => {
        throw ioError(file, err);
      }),
    );
  }
  hash.update(JSON.stringify(settings));
  return hash.digest('hex');
}

async function realPath(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}
