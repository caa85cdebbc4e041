import { deadParams, paramSpecs, type ModelConfig } from '../model/config.js';
import { buildUniverSeg, type NetworkShape } from '../model/network.js';
import { GraphBuilder, type Tensor } from '../model/onnx-graph.js';
import { Ops } from '../model/ops.js';
import { emitBackward, node } from './backward.js';

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
export const DICE_EPSILON = 1e-7;

/** Names of the graph's inputs and outputs, so the trainer and the graph agree on them. */
export const io = {
  param: (name: string) => name,
  m: (name: string) => `adam_m.${name}`,
  v: (name: string) => `adam_v.${name}`,
  newParam: (name: string) => `new.${name}`,
  newM: (name: string) => `new_adam_m.${name}`,
  newV: (name: string) => `new_adam_v.${name}`,
  grad: (name: string) => `grad.${name}`,
};

export interface TrainingGraphOptions {
  /** Emit Adam: inputs lr, step, clip_norm and the moments; outputs updated parameters and moments. */
  optimizer: boolean;
  /** Also output every parameter gradient as grad.<name> (for tests and diagnostics). */
  gradients: boolean;
  /**
   * Weight of a pixel-wise binary cross-entropy added to the soft Dice loss (0 = the paper's pure soft Dice).
   * Soft Dice alone rewards ever larger logits; once they saturate on a wrong prediction its gradient is exactly
   * zero and the example can never be learned. The cross-entropy term keeps a gradient there.
   */
  bceWeight?: number;
}

/** Parameters the training graph updates: all but the last decoder block's unused support branch. */
export function trainableParams(config: ModelConfig) {
  const dead = new Set(deadParams(config));
  return paramSpecs(config).filter((s) => !dead.has(s.name));
}

/**
 * One training step as one ONNX graph: forward in the split form, soft Dice loss, reverse-mode gradients,
 * global-norm clipping and an Adam update. Inputs: query, query_label (B,1,S,S), support_images and
 * support_labels (B,N,1,S,S), the parameters and Adam moments, lr, step (1-based) and clip_norm.
 * Outputs: loss, logits, grad_norm, and the updated parameters and moments.
 */
export function buildTrainingModel(
  config: ModelConfig,
  shape: NetworkShape,
  options: TrainingGraphOptions = { optimizer: true, gradients: false, bceWeight: 0 },
): Uint8Array {
  const { batch: B, support: N, size: S } = shape;
  const g = new GraphBuilder('universeg_train');
  const ops = new Ops(g, true);
  const inputs = {
    query: g.input('query', [B, 1, S, S]),
    supportImages: g.input('support_images', [B, N, 1, S, S]),
    supportLabels: g.input('support_labels', [B, N, 1, S, S]),
  };
  const label = g.input('query_label', [B, 1, S, S]);
  const specs = trainableParams(config);
  const params = new Map(specs.map((s) => [s.name, g.input(io.param(s.name), s.shape)]));
  const param = (name: string) => {
    const t = params.get(name);
    if (!t) throw new Error(`training graph: no parameter ${name}`);
    return t;
  };

  const logits = buildUniverSeg(ops, config, param, inputs, shape, { split: true, upsample: 'matmul' });
  const dice = softDice(g, logits, label);
  let loss = dice.loss;
  let dLogits = dice.dLogits;
  const bceWeight = options.bceWeight ?? 0;
  if (bceWeight > 0) {
    const bce = crossEntropy(g, logits, label);
    loss = node(g, 'Add', [loss, scale(g, bce.loss, bceWeight)], []);
    dLogits = node(g, 'Add', [dLogits, scale(g, bce.dLogits, bceWeight)], logits.shape);
  }
  g.output(dice.loss, 'dice_loss');
  g.output(loss, 'loss');
  g.output(logits, 'logits');

  const grads = emitBackward(g, ops.records, { of: logits, grad: dLogits }, [...params.values()]);
  const gradOf = (name: string) => {
    const grad = grads.get(name);
    if (!grad) throw new Error(`training graph: ${name} gets no gradient`);
    return grad;
  };
  if (options.gradients) for (const s of specs) g.output(gradOf(s.name), io.grad(s.name));
  if (!options.optimizer) return g.toBytes();

  const lr = g.input('lr', []);
  const step = g.input('step', []);
  const clipNorm = g.input('clip_norm', []);
  const squares = specs.map((s) => node(g, 'ReduceSumSquare', [gradOf(s.name)], [], { keepdims: 0 }));
  const norm = node(g, 'Sqrt', [node(g, 'Sum', squares, [])], []);
  g.output(norm, 'grad_norm');
  // Scale every gradient by min(1, clip / norm): one global norm, as torch.nn.utils.clip_grad_norm_.
  const ratio = node(g, 'Div', [clipNorm, node(g, 'Add', [norm, g.scalar('tiny', 1e-6)], [])], []);
  const clipScale = node(g, 'Min', [ratio, g.scalar('one', 1)], []);
  const bias1 = node(g, 'Sub', [g.scalar('one', 1), node(g, 'Pow', [g.scalar('beta1', ADAM.beta1), step], [])], []);
  const bias2 = node(g, 'Sub', [g.scalar('one', 1), node(g, 'Pow', [g.scalar('beta2', ADAM.beta2), step], [])], []);
  const stepSize = node(g, 'Div', [lr, bias1], []);
  const sqrtBias2 = node(g, 'Sqrt', [bias2], []);
  for (const s of specs) {
    const p = params.get(s.name)!;
    const grad = node(g, 'Mul', [gradOf(s.name), clipScale], s.shape);
    const m = g.input(io.m(s.name), s.shape);
    const v = g.input(io.v(s.name), s.shape);
    const m2 = node(g, 'Add', [scale(g, m, ADAM.beta1), scale(g, grad, 1 - ADAM.beta1)], s.shape);
    const v2 = node(g, 'Add', [scale(g, v, ADAM.beta2), scale(g, node(g, 'Mul', [grad, grad], s.shape), 1 - ADAM.beta2)], s.shape);
    // p - lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε): PyTorch's Adam, term for term.
    const denom = node(
      g,
      'Add',
      [node(g, 'Div', [node(g, 'Sqrt', [v2], s.shape), sqrtBias2], s.shape), g.scalar('eps', ADAM.epsilon)],
      s.shape,
    );
    const update = node(g, 'Mul', [node(g, 'Div', [m2, denom], s.shape), stepSize], s.shape);
    g.output(node(g, 'Sub', [p, update], s.shape), io.newParam(s.name));
    g.output(m2, io.newM(s.name));
    g.output(v2, io.newV(s.name));
  }
  return g.toBytes();
}

function scale(g: GraphBuilder, x: Tensor, k: number): Tensor {
  return node(g, 'Mul', [x, g.scalar('k', k)], x.shape);
}

/**
 * loss = 1 - mean_b(2·Σp·y / max(Σp + Σy, ε)), p = sigmoid(logits), and its gradient with respect to the
 * logits written out by hand: dL/dp = -(2/B)·(y/D - I·[S>ε]/D²), dL/dlogit = dL/dp · p(1-p).
 */
function softDice(g: GraphBuilder, logits: Tensor, label: Tensor): { loss: Tensor; dLogits: Tensor } {
  const B = logits.shape[0]!;
  const perSample = [B, 1, 1, 1];
  const sum = (x: Tensor) => node(g, 'ReduceSum', [x, g.int64s('axes', [1, 2, 3])], perSample, { keepdims: 1 });
  const p = node(g, 'Sigmoid', [logits], logits.shape);
  const intersection = sum(node(g, 'Mul', [p, label], logits.shape));
  const total = node(g, 'Add', [sum(p), sum(label)], perSample);
  const eps = g.scalar('dice_eps', DICE_EPSILON);
  const denom = node(g, 'Max', [total, eps], perSample);
  const dice = node(g, 'Div', [scale(g, intersection, 2), denom], perSample);
  const loss = node(g, 'Sub', [g.scalar('one', 1), node(g, 'ReduceMean', [dice], [], { keepdims: 0 })], []);

  const active = node(g, 'Cast', [node(g, 'Greater', [total, eps], perSample, {}, 'bool')], perSample, { to: 1 });
  const yOverD = node(g, 'Div', [label, denom], logits.shape);
  const iOverD2 = node(g, 'Div', [node(g, 'Mul', [intersection, active], perSample), node(g, 'Mul', [denom, denom], perSample)], perSample);
  const dP = scale(g, node(g, 'Sub', [yOverD, iOverD2], logits.shape), -2 / B);
  const slope = node(g, 'Mul', [p, node(g, 'Sub', [g.scalar('one', 1), p], logits.shape)], logits.shape);
  return { loss, dLogits: node(g, 'Mul', [dP, slope], logits.shape) };
}

/** Mean binary cross-entropy with logits, in its overflow-free form, and its gradient (p - y) / count. */
function crossEntropy(g: GraphBuilder, logits: Tensor, label: Tensor): { loss: Tensor; dLogits: Tensor } {
  const shape = logits.shape;
  const count = shape.reduce((a, b) => a * b, 1);
  // max(x, 0) - x·y + log(1 + exp(-|x|))
  const positive = node(g, 'Relu', [logits], shape);
  const xy = node(g, 'Mul', [logits, label], shape);
  const softplus = node(
    g,
    'Log',
    [node(g, 'Add', [g.scalar('one', 1), node(g, 'Exp', [node(g, 'Neg', [node(g, 'Abs', [logits], shape)], shape)], shape)], shape)],
    shape,
  );
  const perPixel = node(g, 'Add', [node(g, 'Sub', [positive, xy], shape), softplus], shape);
  const loss = node(g, 'ReduceMean', [perPixel], [], { keepdims: 0 });
  const p = node(g, 'Sigmoid', [logits], shape);
  const dLogits = scale(g, node(g, 'Sub', [p, label], shape), 1 / count);
  return { loss, dLogits };
}
