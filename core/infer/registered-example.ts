import { registerSlices, warpImage } from './slice-registration.js';

/**
 * The network's weight against the label of the registered example (registeredExample) when `segment` is not told:
 * chosen on the 2D tasks of trained regions at full resolution among 0.25, 0.5, 0.75 and 1 (the network alone),
 * where 0.75 led the network alone in all four families (+0.8 as it is, +1.0 on pseudo-subjects, +0.8 under another
 * contrast, +0.4 on 2-px rims; MODEL_CARD.md, "`segment` with a registered example"). Lower weights gained more on
 * some regions and lost more on others.
 */
export const SEGMENT_NETWORK_WEIGHT = 0.75;

/**
 * Demons levels for an example that may lie several slices, or a subject, away from its query: twice propagation's
 * iterations for neighbouring slices (slice-registration.ts). The one setting tried.
 */
const EXAMPLE_ITERATIONS = [20, 10, 0];

/**
 * The label of the support example that fits the query best once registered onto it: each candidate is registered
 * (demons, slice-registration.ts) and the one whose warped image differs least from the query (mean squared
 * difference) gives its warped label. Images and labels at the model's input size, (count, 1, size, size).
 * Choosing one example by its fit rather than averaging them: on trained regions the average of all eight
 * registered labels, of the three best, or weighted per pixel by local fit (multi-atlas voting) each did worse,
 * alone and beside the network; examples from other parts of a structure disagree more than they correct.
 */
export function registeredExample(
  query: Float32Array,
  images: Float32Array,
  labels: Float32Array,
  candidates: readonly number[],
  size: number,
): Float32Array {
  const plane = size * size;
  let best: { label: Float32Array; difference: number } | undefined;
  for (const c of new Set(candidates)) {
    const image = images.subarray(c * plane, (c + 1) * plane);
    const field = registerSlices(query, image, size, size, { iterations: EXAMPLE_ITERATIONS });
    const warped = warpImage(image, field);
    let difference = 0;
    for (let i = 0; i < plane; i++) difference += (warped[i]! - query[i]!) ** 2;
    if (!best || difference < best.difference) best = { label: warpImage(labels.subarray(c * plane, (c + 1) * plane), field), difference };
  }
  if (!best) throw new Error('registeredExample needs at least one candidate example');
  return best.label;
}

/** `weight` of the network's probability and the rest of the example's label, per pixel. */
export function weighAgainstExample(network: Float32Array, example: Float32Array, weight: number): Float32Array {
  return network.map((p, i) => weight * p + (1 - weight) * example[i]!);
}

/**
 * `weight` of the network's probability of a query and the rest of the registered label of the example among
 * `shown` (the examples the network was given) that fits the query best; the network's own when `weight` is 1.
 */
export function weighWithRegisteredExample(
  network: Float32Array,
  query: Float32Array,
  examples: { images: Float32Array; labels: Float32Array },
  shown: readonly number[],
  size: number,
  weight = SEGMENT_NETWORK_WEIGHT,
): Float32Array {
  if (weight >= 1) return network;
  return weighAgainstExample(network, registeredExample(query, examples.images, examples.labels, shown, size), weight);
}
