import type { Axis } from '../data/volume.js';
import { DEFAULT_PROPAGATION_SUPPORT } from '../infer/propagate-volume.js';
import type { Model } from '../model/model.js';
import {
  bootstrapMean,
  bootstrapMeanVolumeDice,
  bootstrapMeanVolumeDiceDifference,
  DEFAULT_RESAMPLES,
  type BootstrapOptions,
  type Estimate,
} from './bootstrap.js';
import { evaluateInContextCell } from './evaluate-in-context.js';
import {
  DEFAULT_REGIMES,
  evaluatePropagation,
  PROPAGATION_METHODS,
  propagationSetup,
  regimeName,
  type LabellingRegime,
  type PropagationMethod,
  type PropagationOptions,
  type RegionPropagation,
} from './evaluate-propagation.js';
import type {
  EvaluationReport,
  InContextCell,
  InContextFamily,
  InContextMethod,
  PropagationCell,
  RegionSpread,
} from './evaluation-report.js';
import type { HeldoutData } from './heldout-data.js';
import { heldoutInContextTasks } from './heldout-tasks.js';
import {
  DERIVED_FAMILIES,
  derivedVariant,
  PSEUDO_SUBJECTS,
  pseudoSubjectSeeds,
  RIM_WIDTH,
  type DerivedFamily,
} from './derived-families.js';
import type { InContextTask } from './in-context-task.js';
import { mixSeed } from '../util/mix-seed.js';
import { SHAPE_PRIOR_WEIGHT } from '../infer/shape-prior.js';
import { cellCost, DEFAULT_QUERY_PLAN, plannedQueries, type QueryPlan } from './query-plan.js';
import { DEFAULT_SLAB, type SlabSplitOptions } from './slab-split.js';
import { SYNTHETIC_EVAL_SEED, syntheticInContextTasks } from './synthetic-tasks.js';

export interface EvaluationOptions {
  plan?: QueryPlan;
  /** Synthetic tasks (seeds SYNTHETIC_EVAL_SEED + i); default 8, 0 for none. */
  syntheticTasks?: number;
  syntheticFirstSeed?: number;
  /** Held-out regions of a labelled volume: 2D in-context on `axes` and volume propagation. */
  heldout?: HeldoutData;
  axes?: Axis[];
  slab?: SlabSplitOptions;
  /** Families derived from the held-out data (core/eval/derived-families.ts), each after it; default none. */
  families?: readonly DerivedFamily[];
  /** Volume propagation along `axis` (default 2) in each labelling regime (default DEFAULT_REGIMES). */
  propagation?: {
    axis?: Axis;
    regimes?: readonly LabellingRegime[];
    supportSize?: number;
    ensemble?: number;
    settings?: PropagationOptions['propagate'];
  };
  seed?: number;
  resamples?: number;
  signal?: AbortSignal;
  /** Work done and in all, in support-example passes of the network (see query-plan.ts). */
  onProgress?: (done: number, total: number, note: string) => void;
}

export const DEFAULT_SYNTHETIC_TASKS = 8;
const SYNTHETIC_POOL = 64;

/**
 * The whole evaluation: the 2D in-context table (synthetic tasks, then the held-out regions, then the families
 * derived from them that are asked for) over support sizes and ensembles beside the support-mean prior (and,
 * for slices of a volume, the nearest support slice); then
 * volume propagation of each held-out region beside nearest-slice copy and contour interpolation. Every draw
 * is seeded; the same options give the same numbers.
 */
export async function runEvaluation(model: Model, options: EvaluationOptions = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const plan = options.plan ?? DEFAULT_QUERY_PLAN;
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const size = model.config.inputSize;
  const skipped: string[] = [];

  // Tasks first, so the progress bar knows all the work before any is done.
  const familyTasks: { family: InContextFamily; tasks: InContextTask[] }[] = [];
  const syntheticCount = options.syntheticTasks ?? DEFAULT_SYNTHETIC_TASKS;
  const firstSeed = options.syntheticFirstSeed ?? SYNTHETIC_EVAL_SEED;
  if (syntheticCount > 0) {
    const queries = Math.max(...cellsOf(plan).map(({ N, K }) => plannedQueries(plan, N, K, SYNTHETIC_POOL, plan.maxQueries)));
    const tasks = syntheticInContextTasks(size, {
      count: syntheticCount,
      firstSeed,
      poolSize: SYNTHETIC_POOL,
      queries: Math.max(1, queries),
    });
    familyTasks.push({ family: { name: 'synthetic', kind: 'synthetic', tasks: tasks.map((t) => t.name) }, tasks });
  }
  const axes = options.axes ?? [0, 1, 2];
  const slab = { ...DEFAULT_SLAB, ...options.slab };
  if (options.heldout) {
    const found = heldoutInContextTasks(options.heldout, model.config, { axes, slab, maxQueries: plan.maxQueries, seed });
    skipped.push(...found.skipped.map((s) => `2D in-context ${s}`));
    familyTasks.push({
      family: { name: options.heldout.name, kind: 'heldout', tasks: found.tasks.map((t) => t.name) },
      tasks: found.tasks,
    });
  }
  const families = options.heldout ? DERIVED_FAMILIES.filter((f) => options.families?.includes(f)) : [];
  for (const family of families) {
    const found = heldoutInContextTasks(options.heldout!, model.config, {
      axes,
      slab,
      maxQueries: plan.maxQueries,
      seed,
      variant: derivedVariant(family, options.heldout!, seed),
    });
    skipped.push(...found.skipped.map((s) => `2D in-context ${family} ${s}`));
    familyTasks.push({
      family: { name: `${options.heldout!.name} ${family}`, kind: family, tasks: found.tasks.map((t) => t.name) },
      tasks: found.tasks,
    });
  }
  const propagationAxis = options.propagation?.axis ?? 2;
  const regimes = options.heldout ? (options.propagation?.regimes ?? DEFAULT_REGIMES) : [];
  const propagationSupport = options.propagation?.supportSize ?? DEFAULT_PROPAGATION_SUPPORT;
  const propagationEnsemble = options.propagation?.ensemble ?? 1;

  let total = 0;
  for (const { tasks } of familyTasks) {
    for (const { N, K } of cellsOf(plan))
      for (const t of tasks) total += cellCost(N, K, plannedQueries(plan, N, K, t.pool.count, t.queries.count));
  }
  const propagationCosts = new Map<string, number>();
  for (const regime of regimes) {
    for (const region of options.heldout!.regions) {
      const truth = { ...options.heldout!.labels, data: options.heldout!.labels.data.map((v) => (v === region.id ? 1 : 0)) };
      const setup = propagationSetup(truth, propagationAxis, regime);
      if (!setup) continue;
      const inRange = setup.labelled.filter((s) => s >= setup.range[0] && s <= setup.range[1]).length;
      // Two network runs, as shipped and alone (evaluatePropagation), over about the region's extent.
      const span = Math.min(setup.range[1], setup.extent[1]) - Math.max(setup.range[0], setup.extent[0]) + 1;
      const cost = 2 * Math.max(1, span - inRange) * propagationEnsemble * (Math.min(propagationSupport, inRange) + 1);
      propagationCosts.set(`${regimeName(regime)}:${region.id}`, cost);
      total += cost;
    }
  }
  let done = 0;
  const progress = (note: string) => options.onProgress?.(Math.round(done), total, note);
  progress('');

  const inContext: InContextCell[] = [];
  for (const [f, { family, tasks }] of familyTasks.entries()) {
    for (const [c, { N, K }] of cellsOf(plan).entries()) {
      const perTask: InContextCell['perTask'] = [];
      for (const [t, task] of tasks.entries()) {
        const queries = plannedQueries(plan, N, K, task.pool.count, task.queries.count);
        if (queries === 0) continue;
        const note = `${family.name} N=${N} K=${K}`;
        const scores = await evaluateInContextCell(model, task, {
          supportSize: N,
          ensemble: K,
          queries,
          seed: mixSeed(seed, f, t, N, K),
          signal: options.signal,
          onQuery: () => {
            done += cellCost(N, K, 1);
            progress(note);
          },
        });
        perTask.push({ task: task.name, scores });
      }
      if (perTask.length) inContext.push(inContextCell(family.name, N, K, perTask, { resamples, seed: mixSeed(seed, f, N, K) }));
      // Sessions are per support size; the large ones hold gigabytes that no later cell needs.
      if (cellsOf(plan)[c + 1]?.N !== N) await model.release();
    }
  }
  const inContextSeconds = (performance.now() - started) / 1000;

  const propagation: PropagationCell[] = [];
  for (const [r, regime] of regimes.entries()) {
    const regions: RegionPropagation[] = [];
    for (const region of options.heldout!.regions) {
      const cost = propagationCosts.get(`${regimeName(regime)}:${region.id}`) ?? 0;
      const before = done;
      const result = await evaluatePropagation(model, options.heldout!, region, {
        axis: propagationAxis,
        regime,
        supportSize: propagationSupport,
        ensemble: propagationEnsemble,
        propagate: options.propagation?.settings,
        seed: mixSeed(seed, r, region.id),
        signal: options.signal,
        onProgress: (fraction) => {
          done = before + fraction * cost;
          progress(`propagation ${regimeName(regime)}: ${region.name}`);
        },
      });
      done = before + cost;
      if ('skipped' in result) skipped.push(`propagation ${result.skipped}`);
      else regions.push(result);
    }
    if (regions.length)
      propagation.push(
        propagationCell(propagationAxis, regime, propagationSupport, propagationEnsemble, regions, { resamples, seed: mixSeed(seed, r) }),
      );
  }
  progress('done');
  const seconds = (performance.now() - started) / 1000;
  return {
    settings: {
      seed,
      resamples,
      inputSize: size,
      plan,
      synthetic: { count: syntheticCount, firstSeed, poolSize: SYNTHETIC_POOL },
      ...(options.heldout ? { heldout: { name: options.heldout.name, regions: options.heldout.regions.length, axes, slab } } : {}),
      ...(families.length
        ? { derived: { families: [...families], pseudoSubjectSeeds: pseudoSubjectSeeds(seed, PSEUDO_SUBJECTS), rimWidth: RIM_WIDTH } }
        : {}),
      ...(regimes.length
        ? {
            propagation: {
              axis: propagationAxis,
              regimes: [...regimes],
              supportSize: propagationSupport,
              ensemble: propagationEnsemble,
              networkWeight: options.propagation?.settings?.networkWeight ?? SHAPE_PRIOR_WEIGHT,
            },
          }
        : {}),
    },
    families: familyTasks.map((f) => f.family),
    inContext,
    propagation,
    skipped,
    seconds: { inContext: inContextSeconds, propagation: seconds - inContextSeconds, total: seconds },
  };
}

/** The table's cells in the order they are run: by support size, then ensemble. */
function cellsOf(plan: QueryPlan): { N: number; K: number }[] {
  return plan.supportSizes.flatMap((N) => plan.ensembles.map((K) => ({ N, K })));
}

function inContextCell(
  family: string,
  N: number,
  K: number,
  perTask: InContextCell['perTask'],
  bootstrap: BootstrapOptions,
): InContextCell {
  const methods = Object.keys(perTask[0]!.scores) as InContextMethod[];
  const pooled = (m: InContextMethod) => perTask.flatMap((t) => t.scores[m] ?? []);
  const universeg = pooled('universeg');
  const estimates: Partial<Record<InContextMethod, Estimate>> = {};
  const differences: Partial<Record<InContextMethod, Estimate>> = {};
  for (const m of methods) {
    const values = pooled(m);
    // Same seed and count: every method sees the same resamples of the queries, so the columns compare pairwise.
    estimates[m] = bootstrapMean(values, bootstrap);
    if (m !== 'universeg')
      differences[m] = bootstrapMean(
        values.map((v, i) => universeg[i]! - v),
        bootstrap,
      );
  }
  return {
    family,
    supportSize: N,
    ensemble: K,
    tasks: perTask.length,
    queries: universeg.length,
    methods: estimates,
    differences,
    perTask,
  };
}

function propagationCell(
  axis: Axis,
  regime: LabellingRegime,
  N: number,
  K: number,
  regions: RegionPropagation[],
  bootstrap: BootstrapOptions,
): PropagationCell {
  const methods = Object.fromEntries(
    PROPAGATION_METHODS.map((m) => [
      m,
      bootstrapMeanVolumeDice(
        regions.map((r) => r.overlaps[m]),
        bootstrap,
      ),
    ]),
  ) as Record<PropagationMethod, Estimate>;
  const differences: Partial<Record<PropagationMethod, Estimate>> = {};
  const overRegions: Partial<Record<PropagationMethod, RegionSpread>> = {};
  for (const m of PROPAGATION_METHODS.filter((m) => m !== 'universeg')) {
    differences[m] = bootstrapMeanVolumeDiceDifference(
      regions.map((r) => r.overlaps.universeg),
      regions.map((r) => r.overlaps[m]),
      bootstrap,
    );
    overRegions[m] = regionSpread(regions.map((r) => r.dice.universeg - r.dice[m]));
  }
  const beyond = Object.fromEntries(
    PROPAGATION_METHODS.map((m) => [m, regions.reduce((a, r) => a + r.beyond[m], 0) / regions.length]),
  ) as Record<PropagationMethod, number>;
  return {
    axis,
    regime,
    beyond,
    overRegions,
    estimate: estimateTracking(regions),
    supportSize: N,
    ensemble: K,
    regions: regions.length,
    methods,
    differences,
    perRegion: regions.map((r) => ({
      id: r.region.id,
      name: r.region.name,
      labelledWithRegion: r.labelledWithRegion,
      range: r.range,
      extent: r.extent,
      beyond: r.beyond,
      estimatedDice: r.estimatedDice,
      agreement: r.agreement,
      networkRuns: r.networkRuns,
      dice: r.dice,
      slices: r.slices.map((s, i) => [
        s,
        ...PROPAGATION_METHODS.flatMap((m) => [r.overlaps[m][i]!.intersection, r.overlaps[m][i]!.sizeSum]),
      ]),
    })),
  };
}

/**
 * Paired per-region differences: their mean, the standard error of that mean over regions, and in how many regions
 * the difference is positive. Unlike the bootstrap over slices, this counts each region once.
 */
function regionSpread(differences: readonly number[]): RegionSpread {
  const n = differences.length;
  const mean = differences.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? differences.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, standardError: Math.sqrt(variance / n), wins: differences.filter((d) => d > 0).length, regions: n };
}

/** Whether leave-one-out's estimate of a region's Dice follows its real Dice (see PropagationCell.estimate). */
function estimateTracking(regions: readonly RegionPropagation[]): PropagationCell['estimate'] {
  const pairs = regions.filter((r) => r.estimatedDice !== null).map((r) => [r.estimatedDice!, r.dice.universeg] as const);
  if (pairs.length === 0) return null;
  const mean = (k: 0 | 1) => pairs.reduce((a, p) => a + p[k], 0) / pairs.length;
  const [me, mr] = [mean(0), mean(1)];
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (const [e, r] of pairs) {
    sxy += (e - me) * (r - mr);
    sxx += (e - me) ** 2;
    syy += (r - mr) ** 2;
  }
  return {
    regions: pairs.length,
    estimated: me,
    real: mr,
    meanAbsoluteError: pairs.reduce((a, [e, r]) => a + Math.abs(e - r), 0) / pairs.length,
    correlation: pairs.length >= 3 && sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null,
  };
}
