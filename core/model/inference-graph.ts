import type { ModelConfig } from './config.js';
import { buildUniverSeg, type NetworkOptions, type NetworkShape } from './network.js';
import { GraphBuilder } from './onnx-graph.js';
import { Ops } from './ops.js';

export type Weights = Map<string, { shape: number[]; data: Float32Array }>;

/** The forward network for one fixed (batch, support, size), with the weights baked in as initializers. */
export function buildInferenceModel(
  config: ModelConfig,
  weights: Weights,
  shape: NetworkShape,
  options: NetworkOptions = { split: true, upsample: 'resize' },
): Uint8Array {
  const g = new GraphBuilder('universeg');
  const ops = new Ops(g);
  const { batch: B, support: N, size: S } = shape;
  const inputs = {
    query: g.input('query', [B, 1, S, S]),
    supportImages: g.input('support_images', [B, N, 1, S, S]),
    supportLabels: g.input('support_labels', [B, N, 1, S, S]),
  };
  const constants = new Map<string, ReturnType<GraphBuilder['constant']>>();
  const param = (name: string) => {
    let t = constants.get(name);
    if (!t) {
      const w = weights.get(name);
      if (!w) throw new Error(`weights have no tensor ${name}`);
      t = g.constant(name.replaceAll('.', '_'), w.shape, w.data);
      constants.set(name, t);
    }
    return t;
  };
  g.output(buildUniverSeg(ops, config, param, inputs, shape, options), 'logits');
  return g.toBytes();
}
