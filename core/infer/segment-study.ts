import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { readStudyItem } from '../data/read-study-item.js';
import type { StudyProblem } from '../data/scan-study.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writePngMask } from '../data/write-png-mask.js';
import type { Model } from '../model/model.js';
import { pairSupportFiles } from './pair-support-files.js';
import { segmentImage } from './segment-image.js';
import type { Shard } from './shard.js';
import { scanStudyShard } from './study-shard.js';
import { loadSupportPool } from './support-pool.js';

export interface SegmentStudyOptions {
  /** Folders of support images and their label maps, paired by file name. */
  supportImages: string;
  supportLabels: string;
  /** A study folder (or one file): every image in it gets a mask. */
  input: string;
  out: string;
  supportSize?: number;
  ensemble?: number;
  seed?: number;
  /** The network's weight against the best-fitting registered example (segment-image.ts). */
  networkWeight?: number;
  /** false: the network alone on the examples as given, nothing registered (segment-image.ts). */
  registration?: boolean;
  shard?: Shard;
  /** Slices done over all inputs of this shard, and the input being worked on. */
  onProgress?: (done: number, total: number, input: string) => void;
  signal?: AbortSignal;
}

export interface SegmentStudyResult {
  written: { input: string; output: string }[];
  /** Inputs and support files left out, each with the reason. */
  skipped: StudyProblem[];
  /** Inputs in the whole study, before sharding. */
  studyInputs: number;
  /** Support examples used (a labelled volume gives one per slice). */
  supportExamples: number;
}

/**
 * Segments every image of a study from a folder of labelled examples, each label value of the support its own
 * task: a PNG of the input's size for each 2D image (a 0/255 mask from a single-label support, an indexed PNG of
 * the support's values from a multi-label one), a .nii.gz in the input's geometry for each volume. What cannot be
 * used is skipped with a reason and the rest goes on; masks are written atomically, so an abort leaves no partial
 * file, and never over any input or support file. Throws only when nothing can be done (no usable support, unreadable study).
 */
export async function segmentStudy(model: Model, options: SegmentStudyOptions): Promise<SegmentStudyResult> {
  const skipped: StudyProblem[] = [];
  const { pairs, problems: pairProblems } = await pairSupportFiles(options.supportImages, options.supportLabels);
  skipped.push(...pairProblems);
  if (pairs.length === 0)
    throw new Error(`no support pairs: no file in ${options.supportImages} has a label file of the same name in ${options.supportLabels}`);
  const { pool, tasks, problems: poolProblems } = await loadSupportPool(pairs, model.config);
  skipped.push(...poolProblems);
  if (pool.count === 0)
    throw new Error(`none of the ${pairs.length} support pairs could be read: ${poolProblems.map((p) => p.reason).join('; ')}`);

  // Unreadable files are shard members like images, so that each shard reports its own.
  const { scan, outputs, items, problems } = await scanStudyShard(options.input, options.out, options.shard);
  skipped.push(...problems);

  const inputs = [...scan.items.flatMap((i) => i.paths), ...pairs.flatMap((p) => [p.image, p.labels])];
  const protectedPaths = new Set(await Promise.all(inputs.map(realPath)));
  const total = items.reduce((sum, item) => sum + (item.kind === 'image2d' ? 1 : (item.size?.[2] ?? 1)), 0);
  let done = 0;
  const written: SegmentStudyResult['written'] = [];
  for (const item of items) {
    options.signal?.throwIfAborted();
    const output = outputs.get(item.id)!;
    const input = item.kind === 'dicom-series' ? path.dirname(item.paths[0]) : item.paths[0];
    // Checked against every input and support file here; the writers re-check the item's own files at the rename.
    if (protectedPaths.has(await realPath(output))) {
      skipped.push({ path: input, reason: `its mask ${output} would overwrite an input; choose another --out` });
      continue;
    }
    const before = done;
    try {
      const image = await readStudyItem(item);
      const mask = await segmentImage(model, image, tasks, {
        supportSize: options.supportSize,
        ensemble: options.ensemble,
        seed: options.seed,
        networkWeight: options.networkWeight,
        registration: options.registration,
        signal: options.signal,
        onProgress: (d, t) => options.onProgress?.(before + Math.round((d / t) * image.size[2]), total, input),
      });
      await fs.mkdir(path.dirname(output), { recursive: true }).catch((err: unknown) => {
        throw ioError(path.dirname(output), err);
      });
      if (item.kind === 'image2d') {
        await writePngMask(output, mask.data, mask.size[0], mask.size[1], {
          protect: item.paths,
          labels: tasks.map(({ value }) => ({ value })),
        });
      } else {
        await writeLabelVolume(output, mask, { protect: item.paths });
      }
      written.push({ input, output });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      skipped.push({ path: input, reason: reasonOf(err, input) });
    }
    done = before + (item.kind === 'image2d' ? 1 : (item.size?.[2] ?? 1));
    options.onProgress?.(done, total, input);
  }
  return { written, skipped, studyInputs: scan.items.length + scan.problems.length, supportExamples: pool.count };
}

async function realPath(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}

function reasonOf(err: unknown, input: string): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith(`${input}: `) ? message.slice(input.length + 2) : message;
}
