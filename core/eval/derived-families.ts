/**
 * 2D in-context task families derived from the held-out data (issue #13): the held-out family's regions, axes and
 * slab split, changed so that a task is no longer Colin27 as it is. They are proxies, made from the one brain we
 * may use, for what the held-out family cannot show:
 *   pseudo-subject   support from the volume as it is, queries from pseudo-subjects of it (core/eval/pseudo-subject.ts:
 *                    affine change, smooth deformation, intensity curve, bias field, noise): another subject, though
 *                    one with the same folding pattern and contrast, closer to the support than a real subject is.
 *   pseudo-modality  support and queries under one random smooth non-monotonic map of the normalised intensity
 *                    per task: a contrast that is not T1's, though one that is a function of T1 (no new anatomy
 *                    becomes visible, none disappears except where the map folds two greys onto one).
 *   thin             each region's rim at the model's input size (the region minus its erosion by RIM_WIDTH pixels)
 *                    as the label: a thin structure, though one drawn from a blob's outline, not a vessel or a wall.
 */
import type { Axis } from '../data/volume.js';
import { mixSeed } from '../util/mix-seed.js';
import { Random } from '../util/random.js';
import { erode } from '../train/augment/morphology.js';
import type { HeldoutData } from './heldout-data.js';
import type { TaskVariant } from './heldout-tasks.js';
import { pseudoSubject, type PseudoSubjectOptions } from './pseudo-subject.js';

export const DERIVED_FAMILIES = ['pseudo-subject', 'pseudo-modality', 'thin'] as const;
export type DerivedFamily = (typeof DERIVED_FAMILIES)[number];

/** Pseudo-subjects the queries of the pseudo-subject family are cut from. */
export const PSEUDO_SUBJECTS = 2;
/**
 * Pixels (at the model's input size) the rim of the thin family reaches into its region. At the shipped model's
 * 64 px a 2 px rim keeps 92% of the pixels of the trained (colin27-tuning) regions' query slices, the region
 * itself more or less; 1 px keeps 61%.
 */
export const RIM_WIDTH = 1;

/**
 * Pseudo-subject settings in millimetres where they are lengths (pseudo-subject.ts's defaults, chosen for 1 mm
 * Colin27), so that a coarser volume is not deformed more than a fine one.
 */
const PSEUDO_SUBJECT_MM = { translation: 6, deformation: 3 };
/** Stream tags, so that each family draws from its own seeds. */
const PSEUDO_SUBJECT_TAG = 0x5053;
const PSEUDO_MODALITY_TAG = 0x504d;

/** A comma list of family names, or 'none'; throws a message that lists the names for anything else. */
export function parseFamilies(text: string): DerivedFamily[] {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !(DERIVED_FAMILIES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0)
    throw new Error(
      `${unknown.length ? `unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((n) => `'${n}'`).join(', ')}` : 'no family given'}; give a comma list of ${DERIVED_FAMILIES.join(', ')}, or none`,
    );
  return DERIVED_FAMILIES.filter((f) => names.includes(f));
}

/** The seeds of the pseudo-subjects of the pseudo-subject family (never 0, which pseudoSubject leaves unchanged). */
export function pseudoSubjectSeeds(seed: number, count = PSEUDO_SUBJECTS): number[] {
  return Array.from({ length: count }, (_, i) => mixSeed(seed, PSEUDO_SUBJECT_TAG, i) || 1);
}

/** How `family` changes the held-out tasks, drawn from `seed`. */
export function derivedVariant(family: DerivedFamily, data: HeldoutData, seed: number): TaskVariant {
  switch (family) {
    case 'pseudo-subject': {
      const spacing = data.image.spacing.reduce((a, b) => a + b, 0) / 3 || 1;
      const options: PseudoSubjectOptions = {
        translation: PSEUDO_SUBJECT_MM.translation / spacing,
        deformation: PSEUDO_SUBJECT_MM.deformation / spacing,
      };
      return { queryVolumes: pseudoSubjectSeeds(seed).map((s) => pseudoSubject(data.image, data.labels, s, options)) };
    }
    case 'pseudo-modality':
      return { intensity: (region: number, axis: Axis) => intensityMap(mixSeed(seed, PSEUDO_MODALITY_TAG, region, axis)) };
    case 'thin':
      return { label: (mask, size) => rim(mask, size, RIM_WIDTH) };
  }
}

/**
 * A random smooth map of [0, 1] onto [0, 1] with at least one fold: f(x) = b·x + Σ_{k=1..3} a_k·sin(πkx + φ_k),
 * stretched to span [0, 1], drawn again until it both rises and falls by at least a quarter of its range
 * (so two tissues of different grey can swap order or meet) and does not turn more than three times.
 */
export function intensityMap(seed: number): (v: number) => number {
  const rng = new Random(seed);
  const GRID = 256;
  for (;;) {
    const b = rng.uniform(-1, 1);
    const terms = [1, 2, 3].map((k) => ({ k, a: rng.normal() / k, phase: rng.uniform(0, 2 * Math.PI) }));
    const raw = (x: number) => terms.reduce((s, t) => s + t.a * Math.sin(Math.PI * t.k * x + t.phase), b * x);
    const values = Array.from({ length: GRID + 1 }, (_, i) => raw(i / GRID));
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    if (!(hi - lo > 1e-6)) continue;
    const scaled = values.map((v) => (v - lo) / (hi - lo));
    const { rise, fall, turns } = shape(scaled);
    if (rise < 0.25 || fall < 0.25 || turns > 3) continue;
    return (v: number) => {
      const x = v < 0 ? 0 : v > 1 ? 1 : v;
      return Math.min(1, Math.max(0, (raw(x) - lo) / (hi - lo)));
    };
  }
}

/**
 * Of a sampled curve: the largest rise (max over x < y of f(y) - f(x)), the largest fall, and the number of
 * turns (changes between rising and falling, ignoring flat steps).
 */
export function shape(values: readonly number[]): { rise: number; fall: number; turns: number } {
  let rise = 0,
    fall = 0,
    turns = 0,
    min = values[0]!,
    max = values[0]!,
    direction = 0;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    rise = Math.max(rise, v - min);
    fall = Math.max(fall, max - v);
    min = Math.min(min, v);
    max = Math.max(max, v);
    const step = Math.sign(v - values[i - 1]!);
    if (step !== 0 && direction !== 0 && step !== direction) turns++;
    if (step !== 0) direction = step;
  }
  return { rise, fall, turns };
}

/**
 * The rim of a binary size x size mask: its pixels that have a pixel outside it (or the image's edge) within
 * `width` pixels along both rows and columns (the mask minus its erosion by a (2·width+1)² square). Empty only
 * where the mask is.
 */
export function rim(mask: Float32Array, size: number, width: number): Float32Array {
  if (mask.length !== size * size) throw new RangeError(`a ${size}x${size} mask has ${size * size} pixels, got ${mask.length}`);
  const inner = erode(mask, size, width, true);
  return mask.map((v, n) => (v > 0 && !inner[n] ? 1 : 0));
}
