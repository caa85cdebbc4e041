/**
 * How many queries each cell (support size N, ensemble K) of the 2D table evaluates per task. A query costs
 * about K·(N+1) support-example passes of the network, so a fixed number of queries everywhere would spend
 * almost all the time on N = 64; instead every cell gets about `budget` passes per task: cheap cells use up to
 * `maxQueries` queries, dear ones down to `minQueries`. Queries are nested (a cell takes the first q of the
 * task's fixed order), so cells differ in how many queries they average, never in which come first.
 */
export interface QueryPlan {
  supportSizes: readonly number[];
  ensembles: readonly number[];
  /** Support-example passes per task and cell (at the model's input size). */
  budget: number;
  maxQueries: number;
  minQueries: number;
}

export const DEFAULT_SUPPORT_SIZES = [1, 2, 4, 8, 16, 32, 64] as const;
export const DEFAULT_ENSEMBLES = [1, 4] as const;

export const DEFAULT_QUERY_PLAN: QueryPlan = {
  supportSizes: DEFAULT_SUPPORT_SIZES,
  ensembles: DEFAULT_ENSEMBLES,
  budget: 32,
  maxQueries: 100,
  minQueries: 1,
};

/**
 * Queries a task with `poolSize` support examples and `available` queries gets in the cell (N, K); 0 where the
 * cell does not apply: N beyond the pool, or an ensemble over a pool no larger than N (every member would draw
 * the whole pool, the same set).
 */
export function plannedQueries(plan: QueryPlan, supportSize: number, ensemble: number, poolSize: number, available: number): number {
  if (supportSize > poolSize || (ensemble > 1 && supportSize >= poolSize)) return 0;
  const affordable = Math.round(plan.budget / (ensemble * supportSize));
  return Math.min(available, plan.maxQueries, Math.max(plan.minQueries, affordable));
}

/** Network passes (in support examples) a cell costs: the unit of the progress bar and of the plan. */
export function cellCost(supportSize: number, ensemble: number, queries: number): number {
  return queries * ensemble * (supportSize + 1);
}
