/** Labelled 2D examples at a model's input size: images in [0, 1] and binary labels, (count, 1, S, S) each. */
export interface ExampleStack {
  images: Float32Array;
  labels: Float32Array;
  count: number;
  /** Where the examples are slices of one volume: each one's slice index along the task's axis. */
  slices?: number[];
}

/**
 * One binary segmentation task for 2D in-context evaluation: a pool to draw support sets from and queries
 * that share nothing with it. Queries come in a fixed, seeded order; a cell that evaluates q of them takes
 * the first q, so cheaper cells use a superset of the queries of dearer ones.
 */
export interface InContextTask {
  name: string;
  size: number;
  pool: ExampleStack;
  queries: ExampleStack;
}
