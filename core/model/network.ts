import { blockShapes, type BlockShape, type ModelConfig } from './config.js';
import type { Tensor } from './onnx-graph.js';
import { Ops, type UpsampleMode } from './ops.js';

export interface NetworkShape {
  batch: number;
  support: number;
  size: number;
}

export interface NetworkOptions {
  /** Split each cross conv into its query and support halves (exact, ~1.6x fewer MACs). */
  split: boolean;
  upsample: UpsampleMode;
}

/**
 * UniverSeg v1 forward pass. Query features are (B, C, H, W); support features are kept flat as (B·N, C, H, W) so
 * every conv is a plain 4D Conv, and reshaped to (B, N, C, H, W) only to meet the query or take the mean.
 */
export function buildUniverSeg(
  ops: Ops,
  config: ModelConfig,
  param: (name: string) => Tensor,
  inputs: { query: Tensor; supportImages: Tensor; supportLabels: Tensor },
  shape: NetworkShape,
  options: NetworkOptions,
): Tensor {
  const { batch: B, support: N, size: S } = shape;
  const blocks = blockShapes(config);
  const depth = config.encoderWidths.length;

  let u = inputs.query;
  const images = ops.reshape(inputs.supportImages, [B * N, 1, S, S]);
  const labels = ops.reshape(inputs.supportLabels, [B * N, 1, S, S]);
  let v = ops.concat([images, labels], 1);

  const skips: { u: Tensor; v: Tensor }[] = [];
  for (let i = 0; i < depth; i++) {
    const out = crossBlock(ops, blocks[i]!, param, u, v, B, N, options.split, true);
    u = out.u;
    v = out.v!;
    if (i < depth - 1) {
      skips.push({ u, v });
      u = ops.maxPool2(u);
      v = ops.maxPool2(v);
    }
  }
  for (let j = 0; j < depth - 1; j++) {
    const skip = skips.pop()!;
    u = ops.concat([ops.upsample2(u, options.upsample), skip.u], 1);
    v = ops.concat([ops.upsample2(v, options.upsample), skip.v], 1);
    const last = j === depth - 2;
    const out = crossBlock(ops, blocks[depth + j]!, param, u, v, B, N, options.split, !last);
    u = out.u;
    if (!last) v = out.v!;
  }
  return ops.conv(u, param('out_conv.conv.weight'), param('out_conv.conv.bias'), 0);
}

function crossBlock(
  ops: Ops,
  block: BlockShape,
  param: (name: string) => Tensor,
  u: Tensor,
  v: Tensor,
  B: number,
  N: number,
  split: boolean,
  needSupport: boolean,
): { u: Tensor; v: Tensor | null } {
  const [, , H, W] = u.shape as number[];
  const C = block.out;
  const w = param(`${block.prefix}.cross.cross_conv.weight`);
  const b = param(`${block.prefix}.cross.cross_conv.bias`);
  let z: Tensor; // (B, N, C, H, W)
  if (split) {
    // Conv(u ‖ v_i) = Conv_u(u) + Conv_v(v_i): the query half is computed once, not N times.
    const zu = ops.conv(u, ops.slice(w, 1, 0, block.queryIn), null, 1);
    const zv = ops.conv(v, ops.slice(w, 1, block.queryIn, block.queryIn + block.supportIn), b, 1);
    z = ops.add(ops.reshape(zv, [B, N, C, H!, W!]), ops.reshape(zu, [B, 1, C, H!, W!]));
  } else {
    const uN = ops.expand(ops.reshape(u, [B, 1, block.queryIn, H!, W!]), [B, N, block.queryIn, H!, W!]);
    const pairs = ops.concat([uN, ops.reshape(v, [B, N, block.supportIn, H!, W!])], 2);
    const zFlat = ops.conv(ops.reshape(pairs, [B * N, block.queryIn + block.supportIn, H!, W!]), w, b, 1);
    z = ops.reshape(zFlat, [B, N, C, H!, W!]);
  }
  const target = `${block.prefix}.target.vmapped.conv`;
  const uOut = ops.leakyRelu(ops.conv(ops.mean(z, 1), param(`${target}.weight`), param(`${target}.bias`), 1));
  if (!needSupport) return { u: uOut, v: null };
  const support = `${block.prefix}.support.vmapped.conv`;
  const vOut = ops.leakyRelu(ops.conv(ops.reshape(z, [B * N, C, H!, W!]), param(`${support}.weight`), param(`${support}.bias`), 1));
  return { u: uOut, v: vOut };
}

/** MACs of the convolutions one query costs, in the split form actually run and in the unsplit reference form. */
export function convMacs(config: ModelConfig, support: number, size: number): { split: number; unsplit: number } {
  const blocks = blockShapes(config);
  const depth = config.encoderWidths.length;
  let split = 0;
  let unsplit = 0;
  blocks.forEach((b, i) => {
    const level = i < depth ? i : 2 * depth - 2 - i;
    const pixels = (size / 2 ** level) ** 2;
    const k = 9 * pixels * b.out;
    const supportBranch = i === blocks.length - 1 ? 0 : support * k * b.out;
    split += k * b.out + supportBranch + k * b.queryIn + support * k * b.supportIn;
    // The reference computes the dead last support branch too.
    unsplit += k * b.out + support * k * b.out + support * k * (b.queryIn + b.supportIn);
  });
  const outConv = size * size * config.decoderWidths[config.decoderWidths.length - 1]!;
  return { split: split + outConv, unsplit: unsplit + outConv };
}
