import type { LabelVolume, Volume } from '../data/volume.js';
import { windowInputSize } from '../model/config.js';
import type { Model } from '../model/model.js';
import { mixSeed } from '../util/mix-seed.js';
import { normalisedSlice, windowImage, windowToSlice } from './model-input.js';
import { supportRoi } from './support-roi.js';
import { supportWindows } from './support-windows.js';
import {
  DEFAULT_REGISTRATION,
  registerVolume,
  warpLabelProbabilities,
  warpVolume,
  type RegistrationSettings,
} from './volume-registration.js';

/** A labelled support volume: image, label map on its grid, and the slices along k that are labelled. */
export interface Atlas {
  image: Volume;
  labels: LabelVolume;
  /** Slices along k that count as labelled (every slice for a fully labelled map). */
  labelledSlices: readonly number[];
  source: string;
}

/** An atlas carried onto a query's grid. */
export interface RegisteredAtlas {
  image: Volume;
  /** Per label value, the fraction of each voxel the atlas gives it. */
  probabilities: Map<number, Float32Array>;
  /** How far each voxel comes from the atlas's labelled slices (1 inside them); undefined when fully labelled. */
  known?: Float32Array;
  milliseconds: number;
}

export interface NetworkSettings {
  /** Offsets (slices along k) of the registered atlas slices shown to the network for one query slice. */
  offsets: readonly number[];
  /** Support set size N per prediction; at most the examples there are. */
  supportSize: number;
  /** The network runs on a slice when the fused prior reaches this there. */
  minPrior: number;
}

/**
 * Chosen on trained Colin27 regions (test/tools/measure-batch.ts): each atlas's slice at the query's place and
 * one on either side gave the network examples of the structure's shape there and its change along k.
 */
export const DEFAULT_NETWORK: NetworkSettings = { offsets: [-1, 0, 1], supportSize: 8, minPrior: 0.25 };

/** Registers `atlas` onto `query` and carries its image and labels (`values`) over. */
export async function registerAtlas(
  query: Volume,
  atlas: Atlas,
  values: readonly number[],
  settings: RegistrationSettings = DEFAULT_REGISTRATION,
): Promise<RegisteredAtlas> {
  const started = performance.now();
  const mapping = await registerVolume(query, atlas.image, settings);
  const depth = atlas.labels.size[2];
  let known: Float32Array | undefined;
  if (atlas.labelledSlices.length < depth) {
    // The atlas's unlabelled slices say nothing: where they land, the other atlases (or the network) decide.
    const plane = atlas.labels.size[0] * atlas.labels.size[1];
    const mask = new Uint8Array(atlas.labels.data.length);
    for (const s of atlas.labelledSlices) mask.fill(1, s * plane, (s + 1) * plane);
    known = warpLabelProbabilities(mapping, { ...atlas.labels, data: mask }, [1]).get(1);
  }
  return {
    image: warpVolume(mapping, atlas.image),
    probabilities: warpLabelProbabilities(mapping, atlas.labels, values),
    known,
    milliseconds: performance.now() - started,
  };
}

/**
 * The multi-atlas prior: per label, the mean of the atlases' probabilities, each weighed by how far it is labelled
 * there (a fully labelled atlas everywhere); 0 where no atlas is labelled.
 */
export function fuseAtlases(atlases: readonly RegisteredAtlas[], values: readonly number[]): Map<number, Float32Array> {
  const voxels = atlases[0]!.image.data.length;
  const weight = new Float32Array(voxels);
  for (const a of atlases) {
    if (!a.known) for (let n = 0; n < voxels; n++) weight[n]! += 1;
    else for (let n = 0; n < voxels; n++) weight[n]! += a.known[n]!;
  }
  return new Map(
    values.map((v) => {
      const fused = new Float32Array(voxels);
      for (const a of atlases) {
        const p = a.probabilities.get(v)!;
        for (let n = 0; n < voxels; n++) fused[n]! += p[n]! * (a.known ? a.known[n]! : 1);
      }
      for (let n = 0; n < voxels; n++) fused[n] = weight[n]! > 0.5 ? fused[n]! / weight[n]! : 0;
      return [v, fused];
    }),
  );
}

/**
 * Per label, the network's probability on every slice along k where the fused prior reaches minPrior, and the
 * prior itself elsewhere. Each label is its own binary task, as in propagation: its support is the registered
 * atlases' slices at and around the query slice (examples showing the label only), cut to a window around them.
 */
export async function networkProbabilities(
  model: Model,
  query: Volume,
  atlases: readonly RegisteredAtlas[],
  prior: ReadonlyMap<number, Float32Array>,
  options: { settings?: NetworkSettings; seed?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<Map<number, Float32Array>> {
  const settings = options.settings ?? DEFAULT_NETWORK;
  const [width, height, depth] = query.size;
  const plane = width * height;
  const size = windowInputSize(model.config);
  // Slices along k are contiguous in ITK's index order: every slice here is a subarray, not a copy.
  const sliceOf = <T extends Float32Array | Uint8Array>(data: T, k: number) => data.subarray(k * plane, (k + 1) * plane) as T;
  const work = [...prior].map(([value, p]) => ({
    value,
    p,
    slices: Array.from({ length: depth }, (_, k) => k).filter((k) => sliceOf(p, k).some((x) => x >= settings.minPrior)),
  }));
  const total = work.reduce((n, w) => n + w.slices.length, 0);
  let done = 0;
  const images = atlases.map(() => new Map<number, ReturnType<typeof normalisedSlice>>());
  const imageOf = (a: number, k: number) => {
    let s = images[a]!.get(k);
    if (!s) images[a]!.set(k, (s = normalisedSlice({ data: sliceOf(atlases[a]!.image.data, k), width, height }, model.config)));
    return s;
  };
  const result = new Map<number, Float32Array>();
  for (const { value, p, slices } of work) {
    const out = Float32Array.from(p);
    for (const k of slices) {
      options.signal?.throwIfAborted();
      const examples: { atlas: number; k: number; mask: Uint8Array }[] = [];
      for (const [a, atlas] of atlases.entries()) {
        for (const o of settings.offsets) {
          const s = k + o;
          if (s < 0 || s >= depth) continue;
          if (atlas.known && mean(sliceOf(atlas.known, s), sliceOf(atlas.probabilities.get(value)!, s)) < 0.5) continue;
          const mask = Uint8Array.from(sliceOf(atlas.probabilities.get(value)!, s), (x) => (x > 0.5 ? 1 : 0));
          if (mask.some((x) => x)) examples.push({ atlas: a, k: s, mask });
        }
      }
      if (examples.length > 0) {
        const roi = supportRoi(
          examples.map((e) => ({ data: e.mask, width, height })),
          1,
          size,
        )!;
        const { images: poolImages, masks: poolLabels } = supportWindows(
          examples.map((_, i) => i),
          1,
          { imageOf: (i) => imageOf(examples[i]!.atlas, examples[i]!.k), labelsOf: (i) => ({ data: examples[i]!.mask, width, height }) },
          { roi, size },
        );
        const query2d = normalisedSlice({ data: sliceOf(query.data, k), width, height }, model.config);
        const { probabilities } = await model.predict({
          queries: windowImage(query2d, roi, size),
          count: 1,
          poolImages,
          poolLabels,
          poolSize: examples.length,
          height: size,
          width: size,
          supportSize: Math.min(settings.supportSize, examples.length),
          ensemble: 1,
          seed: mixSeed(options.seed ?? 0, value, k),
          signal: options.signal,
        });
        out.set(windowToSlice(probabilities, size, roi, width, height), k * plane);
      }
      options.onProgress?.(++done, total);
    }
    result.set(value, out);
  }
  return result;
}

/** `w` x network + (1 - w) x prior, voxel by voxel. */
export function weigh(network: Float32Array, prior: Float32Array, w: number): Float32Array {
  const out = new Float32Array(prior.length);
  for (let n = 0; n < out.length; n++) out[n] = w * network[n]! + (1 - w) * prior[n]!;
  return out;
}

/** Mean of `known` over the pixels where the atlas shows anything of the label (all pixels when none). */
function mean(known: Float32Array, label: Float32Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < known.length; i++) {
    if (label[i]! > 0) {
      sum += known[i]!;
      count++;
    }
  }
  if (count === 0) for (let i = 0; i < known.length; i++) sum += known[i]!;
  return sum / (count || known.length);
}
