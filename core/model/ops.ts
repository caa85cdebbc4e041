import { GraphBuilder, type Tensor } from './onnx-graph.js';

/**
 * One forward operation as the network used it. The trainer walks these records backwards to emit the gradient
 * graph, so every op the network uses appears here with what its vector-Jacobian product needs.
 */
export type OpRecord =
  | { kind: 'conv'; x: Tensor; w: Tensor; b: Tensor | null; y: Tensor; pad: number }
  | { kind: 'add'; a: Tensor; b: Tensor; y: Tensor }
  | { kind: 'leakyRelu'; x: Tensor; y: Tensor; alpha: number }
  | { kind: 'reshape'; x: Tensor; y: Tensor }
  | { kind: 'mean'; x: Tensor; y: Tensor; axis: number }
  | { kind: 'concat'; xs: Tensor[]; y: Tensor; axis: number }
  | { kind: 'maxPool2'; x: Tensor; y: Tensor; indices: Tensor | null }
  | { kind: 'upsample2'; x: Tensor; y: Tensor }
  | { kind: 'slice'; x: Tensor; y: Tensor; axis: number; start: number; end: number };

export type UpsampleMode = 'resize' | 'matmul';

/** Forward ops with static shapes, emitted into a GraphBuilder and recorded for differentiation. */
export class Ops {
  readonly records: OpRecord[] = [];

  /** `differentiable`: also emit what the backward pass needs (max-pool indices), which inference does without. */
  constructor(
    readonly g: GraphBuilder,
    private readonly differentiable = false,
  ) {}

  conv(x: Tensor, w: Tensor, b: Tensor | null, pad: number): Tensor {
    const [n, , h, wd] = x.shape as number[];
    const [o, c, kh, kw] = w.shape as number[];
    if (x.shape[1] !== c) throw new Error(`conv: input has ${x.shape[1]} channels, weight expects ${c}`);
    const shape = [n!, o!, h! + 2 * pad - kh! + 1, wd! + 2 * pad - kw! + 1];
    const [y] = this.g.node('Conv', b ? [x, w, b] : [x, w], [{ hint: 'conv', shape }], {
      kernel_shape: [kh!, kw!],
      pads: [pad, pad, pad, pad],
    });
    this.records.push({ kind: 'conv', x, w, b, y: y!, pad });
    return y!;
  }

  add(a: Tensor, b: Tensor): Tensor {
    const [y] = this.g.node('Add', [a, b], [{ hint: 'add', shape: broadcastShape(a.shape, b.shape) }]);
    this.records.push({ kind: 'add', a, b, y: y! });
    return y!;
  }

  leakyRelu(x: Tensor, alpha = 0.01): Tensor {
    const [y] = this.g.node('LeakyRelu', [x], [{ hint: 'lrelu', shape: x.shape }], { alpha: { float: alpha } });
    this.records.push({ kind: 'leakyRelu', x, y: y!, alpha });
    return y!;
  }

  reshape(x: Tensor, shape: readonly number[]): Tensor {
    if (numel(shape) !== numel(x.shape)) throw new Error(`reshape: [${x.shape}] -> [${shape}]`);
    const [y] = this.g.node('Reshape', [x, this.g.int64s('shape', shape)], [{ hint: 'reshape', shape }]);
    this.records.push({ kind: 'reshape', x, y: y! });
    return y!;
  }

  /**
   * Mean over one axis, which disappears. Written as a MatMul with a row of 1/n: ORT's ReduceMean over a middle
   * axis ran at a fraction of memory bandwidth on CPU (5% of a training step at 128x128), a GEMM does not.
   */
  mean(x: Tensor, axis: number): Tensor {
    const shape = x.shape.filter((_, i) => i !== axis);
    const n = x.shape[axis]!;
    const outer = numel(x.shape.slice(0, axis));
    const inner = numel(x.shape.slice(axis + 1));
    const [grouped] = this.g.node(
      'Reshape',
      [x, this.g.int64s('shape', [outer, n, inner])],
      [{ hint: 'mean_in', shape: [outer, n, inner] }],
    );
    const weights = this.g.constant('mean_w', [1, n], new Float32Array(n).fill(1 / n));
    const [summed] = this.g.node('MatMul', [weights, grouped!], [{ hint: 'mean_mm', shape: [outer, 1, inner] }]);
    const [y] = this.g.node('Reshape', [summed!, this.g.int64s('shape', shape)], [{ hint: 'mean', shape }]);
    this.records.push({ kind: 'mean', x, y: y!, axis });
    return y!;
  }

  concat(xs: Tensor[], axis: number): Tensor {
    const shape = [...xs[0]!.shape];
    shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
    const [y] = this.g.node('Concat', xs, [{ hint: 'concat', shape }], { axis });
    this.records.push({ kind: 'concat', xs, y: y!, axis });
    return y!;
  }

  maxPool2(x: Tensor): Tensor {
    const [n, c, h, w] = x.shape as number[];
    const shape = [n!, c!, Math.floor(h! / 2), Math.floor(w! / 2)];
    // ORT's MaxPool without the Indices output runs a much faster kernel.
    const outputs = [{ hint: 'pool', shape }, ...(this.differentiable ? [{ hint: 'pool_idx', shape, dtype: 'int64' as const }] : [])];
    const [y, indices] = this.g.node('MaxPool', [x], outputs, { kernel_shape: [2, 2], strides: [2, 2] });
    this.records.push({ kind: 'maxPool2', x, y: y!, indices: indices ?? null });
    return y!;
  }

  /**
   * Bilinear x2 with align_corners. 'resize' uses ORT's Resize kernel (inference); 'matmul' writes it as
   * A_h · X · A_wᵀ, which the trainer can differentiate with two more MatMuls.
   */
  upsample2(x: Tensor, mode: UpsampleMode): Tensor {
    const [n, c, h, w] = x.shape as number[];
    const shape = [n!, c!, 2 * h!, 2 * w!];
    if (mode === 'resize') {
      const scales = this.g.constant('scales', [4], [1, 1, 2, 2]);
      const [y] = this.g.node('Resize', [x, null, scales], [{ hint: 'up', shape }], {
        mode: 'linear',
        coordinate_transformation_mode: 'align_corners',
      });
      return y!;
    }
    const ah = this.g.constant('interp_h', [2 * h!, h!], interpolationMatrix(h!));
    const awT = this.g.constant('interp_wT', [w!, 2 * w!], transpose(interpolationMatrix(w!), 2 * w!, w!));
    const [rows] = this.g.node('MatMul', [ah, x], [{ hint: 'up_rows', shape: [n!, c!, 2 * h!, w!] }]);
    const [y] = this.g.node('MatMul', [rows!, awT], [{ hint: 'up', shape }]);
    this.records.push({ kind: 'upsample2', x, y: y! });
    return y!;
  }

  slice(x: Tensor, axis: number, start: number, end: number): Tensor {
    const shape = [...x.shape];
    shape[axis] = end - start;
    const [y] = this.g.node(
      'Slice',
      [x, this.g.int64s('starts', [start]), this.g.int64s('ends', [end]), this.g.int64s('axes', [axis])],
      [{ hint: 'slice', shape }],
    );
    this.records.push({ kind: 'slice', x, y: y!, axis, start, end });
    return y!;
  }

  /** Broadcast along size-1 axes; used only by the unsplit reference form, which is never trained. */
  expand(x: Tensor, shape: readonly number[]): Tensor {
    const [y] = this.g.node('Expand', [x, this.g.int64s('shape', shape)], [{ hint: 'expand', shape }]);
    return y!;
  }
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(da, db));
  }
  return out;
}

/** (2n, n) matrix of bilinear x2 interpolation weights with align_corners = true. */
export function interpolationMatrix(n: number): Float32Array {
  const m = new Float32Array(2 * n * n);
  const scale = n > 1 ? (n - 1) / (2 * n - 1) : 0;
  for (let o = 0; o < 2 * n; o++) {
    const src = o * scale;
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    const f = src - i0;
    m[o * n + i0]! += 1 - f;
    m[o * n + i1]! += f;
  }
  return m;
}

export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}
