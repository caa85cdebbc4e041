import type { Axis } from '../data/volume.js';
import type { Estimate } from './bootstrap.js';
import type { InContextScores } from './evaluate-in-context.js';
import type { DerivedFamily } from './derived-families.js';
import type { LabellingRegime, PropagationMethod } from './evaluate-propagation.js';
import type { QueryPlan } from './query-plan.js';
import type { SlabSplitOptions } from './slab-split.js';

export type InContextMethod = keyof InContextScores;

/** One (family, N, K) cell of the 2D in-context table; Dice in [0, 1]. */
export interface InContextCell {
  family: string;
  supportSize: number;
  ensemble: number;
  tasks: number;
  queries: number;
  /** Mean over the cell's queries ± bootstrap std (queries resampled, the same resamples for every method). */
  methods: Partial<Record<InContextMethod, Estimate>>;
  /** UniverSeg minus each baseline, paired per query. */
  differences: Partial<Record<InContextMethod, Estimate>>;
  perTask: { task: string; scores: InContextScores }[];
}

/** Paired per-region differences (UniverSeg minus a baseline): mean, its standard error over regions, wins. */
export interface RegionSpread {
  mean: number;
  standardError: number;
  wins: number;
  regions: number;
}

/** One labelling regime of the propagation table; Dice in [0, 1]. */
export interface PropagationCell {
  axis: Axis;
  regime: LabellingRegime;
  /** Mean over regions of the predicted voxels outside the truth's slice extent, per voxel of the truth. */
  beyond: Record<PropagationMethod, number>;
  overRegions: Partial<Record<PropagationMethod, RegionSpread>>;
  /**
   * How the shipped method's leave-one-out estimate tracks its real Dice over the regions that have one: their
   * means, the mean absolute difference and Pearson's correlation (null with fewer than three such regions).
   */
  estimate: { regions: number; estimated: number; real: number; meanAbsoluteError: number; correlation: number | null } | null;
  supportSize: number;
  ensemble: number;
  regions: number;
  /** Mean over regions of each region's volume Dice ± bootstrap std (slices resampled within each region). */
  methods: Record<PropagationMethod, Estimate>;
  differences: Partial<Record<PropagationMethod, Estimate>>;
  perRegion: {
    id: number;
    name: string;
    labelledWithRegion: number;
    range: [number, number];
    extent: { truth: [number, number]; predicted: [number, number] };
    beyond: Record<PropagationMethod, number>;
    estimatedDice: number | null;
    agreement: number | null;
    networkRuns: number;
    dice: Record<PropagationMethod, number>;
    /** Per evaluated slice: [slice, then intersection and size sum for each method in `methods` order]. */
    slices: number[][];
  }[];
}

export interface InContextFamily {
  name: string;
  /** A family derived from the held-out data is named by how it was derived (core/eval/derived-families.ts). */
  kind: 'synthetic' | 'heldout' | DerivedFamily;
  tasks: string[];
}

export interface EvaluationReport {
  settings: {
    seed: number;
    resamples: number;
    inputSize: number;
    plan: QueryPlan;
    synthetic: { count: number; firstSeed: number; poolSize: number };
    heldout?: { name: string; regions: number; axes: Axis[]; slab: Required<SlabSplitOptions> };
    /** The families derived from the held-out data, the pseudo-subjects' seeds and the thin family's rim width (px). */
    derived?: { families: DerivedFamily[]; pseudoSubjectSeeds: number[]; rimWidth: number };
    propagation?: { axis: Axis; regimes: LabellingRegime[]; supportSize: number; ensemble: number; networkWeight: number };
  };
  families: InContextFamily[];
  inContext: InContextCell[];
  propagation: PropagationCell[];
  skipped: string[];
  seconds: { inContext: number; propagation: number; total: number };
}
