import type { Model } from '../model/model.js';
import { stack } from './model-input.js';
import { registerSlices, warpImage } from './slice-registration.js';

/**
 * The network's weight against the label of the best-fitting registered example (bestFitting) when `segment` is not
 * told: chosen on the 2D tasks of trained regions at full resolution among 0.25, 0.5, 0.75 and 1, where 0.75 led the
 * network alone in all four families (MODEL_CARD.md, "`segment` with a registered example"). Lower weights gained
 * more on some regions and lost more on others.
 */
export const SEGMENT_NETWORK_WEIGHT = 0.75;

/**
 * The share of the network's run on the examples registered onto the query (alignedProbability) in the network's
 * probability, the rest its run on the examples as given: see MODEL_CARD.md, "`segment` with examples aligned onto
 * the image", for the trained-region comparison it was chosen from.
 */
export const ALIGNED_SHARE = 0.5;

/**
 * Demons levels for an example that may lie several slices, or a subject, away from its query: twice propagation's
 * iterations for neighbouring slices (slice-registration.ts). The one setting tried.
 */
const EXAMPLE_ITERATIONS = [20, 10, 0];

/** A support example warped onto the query, and how far its warped image still is from it (mean squared difference). */
export interface RegisteredExample {
  image: Float32Array;
  label: Float32Array;
  difference: number;
}

/**
 * Each of `candidates` (indices into images and labels, (count, 1, size, size) at the model's input size) registered
 * onto the query with demons (slice-registration.ts), by index.
 */
export function registerExamples(
  query: Float32Array,
  images: Float32Array,
  labels: Float32Array,
  candidates: readonly number[],
  size: number,
): Map<number, RegisteredExample> {
  const plane = size * size;
  const registered = new Map<number, RegisteredExample>();
  for (const c of new Set(candidates)) {
    const image = images.subarray(c * plane, (c + 1) * plane);
    const field = registerSlices(query, image, size, size, { iterations: EXAMPLE_ITERATIONS });
    const warped = warpImage(image, field);
    let difference = 0;
    for (let i = 0; i < plane; i++) difference += (warped[i]! - query[i]!) ** 2;
    registered.set(c, {
      image: warped,
      label: warpImage(labels.subarray(c * plane, (c + 1) * plane), field),
      difference: difference / plane,
    });
  }
  return registered;
}

/**
 * The registered label of the example that fits the query best. One example rather than an average: on trained
 * regions the average of all eight registered labels, of the three best, or weighted per pixel by local fit
 * (multi-atlas voting) each did worse, alone and beside the network; examples from other parts of a structure
 * disagree more than they correct.
 */
export function bestFitting(registered: ReadonlyMap<number, RegisteredExample>): Float32Array {
  let best: RegisteredExample | undefined;
  for (const r of registered.values()) if (!best || r.difference < best.difference) best = r;
  if (!best) throw new Error('bestFitting needs at least one registered example');
  return best.label;
}

/**
 * The network's probability of the query with each support set (`members`, indices into `registered`) replaced by
 * its examples registered onto the query, the sets' probabilities averaged: as propagation shows the network
 * examples aligned with its query (alignSupport), so that a pixel of an example speaks for the same pixel of the query.
 */
export async function alignedProbability(
  model: Model,
  query: Float32Array,
  registered: ReadonlyMap<number, RegisteredExample>,
  members: readonly (readonly number[])[],
  size: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const sum = new Float32Array(size * size);
  for (const member of members) {
    signal?.throwIfAborted();
    const examples = member.map((m) => {
      const r = registered.get(m);
      if (!r) throw new Error(`support example ${m} was not registered onto the query`);
      return r;
    });
    // The whole set as the pool, so that predict draws all of it, in order.
    const { probabilities } = await model.predict({
      queries: query,
      count: 1,
      poolImages: stack(examples.map((r) => r.image)),
      poolLabels: stack(examples.map((r) => r.label)),
      poolSize: examples.length,
      supportSize: examples.length,
      height: size,
      width: size,
      signal,
    });
    for (let i = 0; i < sum.length; i++) sum[i]! += probabilities[i]! / members.length;
  }
  return sum;
}

/** `weight` of the first probability and the rest of the second, per pixel. */
export function weighAgainst(first: Float32Array, second: Float32Array, weight: number): Float32Array {
  return first.map((p, i) => weight * p + (1 - weight) * second[i]!);
}

export interface RegisteredExampleOptions {
  /** The network's weight against the best-fitting registered label; default SEGMENT_NETWORK_WEIGHT. */
  networkWeight?: number;
  /** The share of the network's run on the registered examples; default ALIGNED_SHARE. */
  alignedShare?: number;
  /** false: the network on the examples as given, nothing registered (both settings above ignored). */
  registration?: boolean;
  signal?: AbortSignal;
}

/**
 * The probability of one query as `segment` gives it with 2D support: the network's probability on the examples as
 * given (`network`, from model.predict with these `members`) mixed with its run on the same examples registered onto
 * the query, then weighed against the registered label of the one that fits best; with the network runs it made.
 */
export async function withRegisteredExamples(
  model: Model,
  network: Float32Array,
  query: Float32Array,
  examples: { images: Float32Array; labels: Float32Array },
  members: readonly (readonly number[])[],
  options: RegisteredExampleOptions = {},
): Promise<{ probability: Float32Array; networkRuns: number }> {
  const weight = options.networkWeight ?? SEGMENT_NETWORK_WEIGHT;
  const share = options.alignedShare ?? ALIGNED_SHARE;
  if (options.registration === false || (weight >= 1 && share <= 0)) return { probability: network, networkRuns: 0 };
  const size = model.config.inputSize;
  const registered = registerExamples(query, examples.images, examples.labels, members.flat(), size);
  const aligned = weight > 0 && share > 0;
  const mixed = aligned
    ? weighAgainst(await alignedProbability(model, query, registered, members, size, options.signal), network, share)
    : network;
  return {
    probability: weight >= 1 ? mixed : weighAgainst(mixed, bestFitting(registered), weight),
    networkRuns: aligned ? members.length : 0,
  };
}
