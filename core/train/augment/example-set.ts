/**
 * What the trainer feeds the network: square S x S images, row-major (y * S + x), float32 grey values in [0, 1]
 * and binary float32 labels (exactly 0 or 1).
 */
export interface LabelledImage {
  image: Float32Array;
  label: Float32Array;
}

/** One training example: a query to segment and N labelled support images of the same task. */
export interface ExampleSet {
  query: Float32Array;
  queryLabel: Float32Array;
  support: LabelledImage[];
  /**
   * Slices of one volume in one window, as propagation shows them: a pixel of the query lies where the same pixel
   * of each support image lies, and that correspondence is part of the task.
   */
  aligned?: boolean;
}

/** The query first, then the support, so that whole-set operations can treat every image alike. */
export function setToList(set: ExampleSet): LabelledImage[] {
  return [{ image: set.query, label: set.queryLabel }, ...set.support];
}

export function listToSet(list: LabelledImage[]): ExampleSet {
  const [query, ...support] = list;
  if (!query) throw new Error('An example set needs a query image');
  return { query: query.image, queryLabel: query.label, support };
}

export function checkSquare(data: Float32Array, size: number, what: string): void {
  if (!Number.isInteger(size) || size < 4) throw new Error(`${what}: size must be an integer >= 4, got ${size}`);
  if (data.length !== size * size) {
    throw new Error(`${what}: expected ${size}x${size} = ${size * size} values, got ${data.length}`);
  }
}

/** True when a label that had foreground has none after an operation: the pair would no longer show the task. */
export function emptied(before: Float32Array, after: Float32Array): boolean {
  return before.includes(1) && !after.includes(1);
}
