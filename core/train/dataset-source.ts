import fs from 'node:fs/promises';
import path from 'node:path';
import { extractSlice } from '../data/extract-slice.js';
import { fileStem } from '../data/file-stem.js';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import { normaliseIntensity, type IntensityMode } from '../data/normalise-intensity.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { stack, windowImage, windowMask } from '../infer/model-input.js';
import { registerExamples } from '../infer/registered-example.js';
import { supportRoi, type Roi } from '../infer/support-roi.js';
import type { Random } from '../util/random.js';
import type { LabelledImage } from './augment/example-set.js';
import { propagationPicks } from './propagation-picks.js';
import { sliceTasks, type SliceTask } from './slice-tasks.js';
import type { TaskSource } from './task-source.js';

/**
 * A dataset is a manifest (`*.json`, or `dataset.json` in a folder) or a folder with `images/` and `labels/` whose
 * files pair up by name. A manifest can leave labels out of training: listed values, or every label that lies
 * mostly inside held-out regions of another label map on the same grid.
 */
export interface DatasetManifest {
  name?: string;
  pairs: {
    image: string;
    labels: string;
    exclude?: number[];
    excludeOverlapping?: { labels: string; values: number[]; fraction: number };
    /** Axes to cut slices across (default all three): a stack of unrelated 2D slices makes sense only along k. */
    axes?: Axis[];
  }[];
}

/**
 * Share of real example sets cut to a window around their support labels, as propagation cuts them (support-roi.ts),
 * and the range of context around the labels drawn for it; the others are whole slices, as `universeg segment`
 * and the 2D evaluation take them.
 */
const WINDOWED_SETS = 0.5;
const WINDOW_CONTEXT: [number, number] = [1.2, 3];
/**
 * Share of real example sets drawn as propagation draws them (propagation-picks.ts): always windowed and aligned
 * (no per-pair geometric augmentation, see augmentEachPair). The others are random slices of the structure.
 */
const PROPAGATION_SETS = 0.5;

export interface DatasetSourceOptions {
  normalisation?: IntensityMode;
  /**
   * Share of propagation-like sets whose support examples are registered onto the query (demons, images and labels
   * warped), as propagation shows the network its examples carried onto the slice it predicts (alignSupport). Until
   * the nineteenth session the network trained on examples in place only; default 0.
   */
  carriedSupport?: number;
}

export async function loadDatasetSource(
  location: string,
  { normalisation = 'minmax', carriedSupport = 0 }: DatasetSourceOptions = {},
): Promise<{ source: TaskSource; skipped: { path: string; reason: string }[] }> {
  const manifest = await readManifest(location);
  const skipped: { path: string; reason: string }[] = [];
  const tasks: SliceTask[] = [];
  for (const pair of manifest.pairs) {
    try {
      const [image, labels] = await Promise.all([readVolume(pair.image), readLabelVolume(pair.labels)]);
      if (image.size.join() !== labels.size.join()) {
        throw new Error(`label map is ${labels.size.join('x')} but its image ${pair.image} is ${image.size.join('x')}`);
      }
      const exclude = new Set(pair.exclude ?? []);
      if (pair.excludeOverlapping) {
        const heldOut = await readLabelVolume(pair.excludeOverlapping.labels);
        for (const v of labelsInside(labels, heldOut, new Set(pair.excludeOverlapping.values), pair.excludeOverlapping.fraction))
          exclude.add(v);
      }
      const found = sliceTasks(path.basename(pair.labels), image, labels, { exclude, axes: pair.axes });
      if (!found.length) throw new Error('no label with enough foreground to make a task (empty label map?)');
      tasks.push(...found);
    } catch (err) {
      skipped.push({ path: pair.labels, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const name = manifest.name ?? path.basename(location);
  return {
    source: {
      name,
      taskCount: tasks.length,
      sampleSet: (rng: Random, size: number, n: number) => {
        const task = tasks[rng.int(tasks.length)]!;
        const propagation = rng.chance(PROPAGATION_SETS) ? propagationPicks(rng, task.slices, n) : undefined;
        const slices = propagation ?? randomPicks(rng, task.slices, n);
        const roi =
          propagation || rng.chance(WINDOWED_SETS)
            ? supportRoi(
                slices.slice(1).map((s) => extractSlice(task.labels, task.axis, s)),
                task.label,
                size,
                rng.uniform(...WINDOW_CONTEXT),
              )
            : undefined;
        const [query, ...support] = slices.map((s) => example(task, s, size, normalisation, roi));
        // Drawn only when asked for, so that runs without it keep their random stream (and resume bit for bit).
        const carried = propagation !== undefined && carriedSupport > 0 && rng.chance(carriedSupport);
        return {
          query: query!.image,
          queryLabel: query!.label,
          support: carried ? carriedOnto(query!.image, support, size) : support,
          aligned: propagation !== undefined,
        };
      },
    },
    skipped,
  };
}

/** Each example registered onto the query, image and label warped alike. */
function carriedOnto(query: Float32Array, support: LabelledImage[], size: number): LabelledImage[] {
  const registered = registerExamples(
    query,
    stack(support.map((e) => e.image)),
    stack(support.map((e) => e.label)),
    support.map((_, i) => i),
    size,
  );
  return support.map((_, i) => ({ image: registered.get(i)!.image, label: registered.get(i)!.label }));
}

/** A query and n support slices drawn from the whole structure: without replacement when it has enough slices. */
function randomPicks(rng: Random, slices: readonly number[], n: number): number[] {
  const picks =
    slices.length > n
      ? rng.sample(slices.length, n + 1)
      : [rng.int(slices.length), ...Array.from({ length: n }, () => rng.int(slices.length))];
  return picks.map((i) => slices[i]!);
}

function example(task: SliceTask, index: number, size: number, normalisation: IntensityMode, roi: Roi | undefined): LabelledImage {
  const slice = extractSlice(task.image, task.axis, index);
  const image = windowImage({ ...slice, data: normaliseIntensity(slice.data, normalisation) }, roi, size);
  return { image, label: windowMask(extractSlice(task.labels, task.axis, index), roi, size, task.label) };
}

/** Labels of `labels` with more than `fraction` of their voxels inside a single one of the held-out regions. */
export function labelsInside(labels: LabelVolume, heldOut: LabelVolume, values: ReadonlySet<number>, fraction: number): number[] {
  if (labels.data.length !== heldOut.data.length) throw new Error('held-out label map is not on the same grid');
  const totals = new Map<number, number>();
  const inside = new Map<string, number>();
  for (let i = 0; i < labels.data.length; i++) {
    const l = labels.data[i]!;
    if (l === 0) continue;
    totals.set(l, (totals.get(l) ?? 0) + 1);
    const h = heldOut.data[i]!;
    if (values.has(h)) inside.set(`${l}:${h}`, (inside.get(`${l}:${h}`) ?? 0) + 1);
  }
  const out = new Set<number>();
  for (const [key, count] of inside) {
    const l = Number(key.split(':')[0]);
    if (count > fraction * totals.get(l)!) out.add(l);
  }
  return [...out].sort((a, b) => a - b);
}

async function readManifest(location: string): Promise<DatasetManifest> {
  let stat;
  try {
    stat = await fs.stat(location);
  } catch {
    throw new Error(`${location}: dataset not found`);
  }
  let file = location;
  if (stat.isDirectory()) {
    const inFolder = path.join(location, 'dataset.json');
    if (await exists(inFolder)) file = inFolder;
    else return pairFolders(location);
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(await fs.readFile(file, 'utf8')) as DatasetManifest;
  } catch (err) {
    throw new Error(`${file}: not a readable dataset manifest (${(err as Error).message})`, { cause: err });
  }
  if (!Array.isArray(manifest.pairs)) throw new Error(`${file}: a dataset manifest needs a "pairs" list`);
  const badAxes = manifest.pairs.find(
    (p) => p.axes !== undefined && (!Array.isArray(p.axes) || p.axes.length === 0 || p.axes.some((a) => a !== 0 && a !== 1 && a !== 2)),
  );
  if (badAxes) throw new Error(`${file}: "axes" of ${badAxes.labels} must be a non-empty list of 0, 1 and 2`);
  const base = path.dirname(file);
  const resolve = (p: string) => path.resolve(base, p);
  return {
    name: manifest.name ?? path.basename(base),
    pairs: manifest.pairs.map((p) => ({
      ...p,
      image: resolve(p.image),
      labels: resolve(p.labels),
      excludeOverlapping: p.excludeOverlapping && { ...p.excludeOverlapping, labels: resolve(p.excludeOverlapping.labels) },
    })),
  };
}

/** images/NAME.ext pairs with labels/NAME.ext (any image extensions, e.g. .nii.gz and .nrrd). */
async function pairFolders(dir: string): Promise<DatasetManifest> {
  const list = async (sub: string) => {
    try {
      return await fs.readdir(path.join(dir, sub));
    } catch {
      throw new Error(`${dir}: a dataset folder needs dataset.json, or images/ and labels/ subfolders`);
    }
  };
  const labels = new Map((await list('labels')).map((f) => [fileStem(f), f]));
  const pairs = (await list('images'))
    .filter((f) => labels.has(fileStem(f)))
    .map((f) => ({ image: path.join(dir, 'images', f), labels: path.join(dir, 'labels', labels.get(fileStem(f))!) }));
  return { name: path.basename(dir), pairs };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
