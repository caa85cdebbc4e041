/**
 * What a model file says about itself. It travels in the safetensors `__metadata__` so that training, the CLI and
 * the app prepare images exactly as the model was trained, from the file alone.
 */
export interface ModelConfig {
  arch: 'universeg-v1';
  /** Output channels of each encoder CrossBlock; decoder blocks mirror all but the last. */
  encoderWidths: number[];
  decoderWidths: number[];
  /** Square side the model expects its inputs resized to. */
  inputSize: number;
  /**
   * Square side of the windows cut around a structure in volumes (propagation, its leave-one-out, segmentation with
   * support volumes); inputSize when absent. A window already holds its structure near its own size, so a file
   * trained at 128 px for whole images can keep the 64 px its volume settings were chosen with, at a quarter of the
   * network's time (MODEL_CARD.md).
   */
  windowSize?: number;
  /** How an image is mapped to [0, 1] before it reaches the model. */
  normalisation: 'minmax' | 'percentile';
}

export const UNIVERSEG_V1: ModelConfig = {
  arch: 'universeg-v1',
  encoderWidths: [64, 64, 64, 64],
  decoderWidths: [64, 64, 64],
  inputSize: 128,
  normalisation: 'minmax',
};

/** The side the network runs at in a window around a structure. */
export function windowInputSize(c: ModelConfig): number {
  return c.windowSize ?? c.inputSize;
}

export const CONFIG_METADATA_KEY = 'universeg.config';

export function validateConfig(c: ModelConfig, source: string): ModelConfig {
  const bad = (why: string) => new Error(`${source}: invalid model configuration: ${why}`);
  if (c.arch !== 'universeg-v1') throw bad(`unknown arch ${String(c.arch)}`);
  const positiveInts = (xs: unknown) => Array.isArray(xs) && xs.length > 0 && xs.every((x) => Number.isInteger(x) && x > 0);
  if (!positiveInts(c.encoderWidths)) throw bad('encoderWidths must be positive integers');
  if (!positiveInts(c.decoderWidths)) throw bad('decoderWidths must be positive integers');
  if (c.decoderWidths.length !== c.encoderWidths.length - 1) {
    throw bad(`${c.encoderWidths.length} encoder blocks need ${c.encoderWidths.length - 1} decoder blocks`);
  }
  const factor = 2 ** (c.encoderWidths.length - 1);
  if (!Number.isInteger(c.inputSize) || c.inputSize % factor !== 0) throw bad(`inputSize must be a multiple of ${factor}`);
  if (c.windowSize !== undefined && !(Number.isInteger(c.windowSize) && c.windowSize > 0 && c.windowSize % factor === 0))
    throw bad(`windowSize must be a positive multiple of ${factor}`);
  if (c.normalisation !== 'minmax' && c.normalisation !== 'percentile') throw bad(`unknown normalisation ${String(c.normalisation)}`);
  return c;
}

export function configToMetadata(c: ModelConfig): Record<string, string> {
  return { [CONFIG_METADATA_KEY]: JSON.stringify(c) };
}

/** The published checkpoints carry no configuration; they are v1 at 128x128. */
export function configFromMetadata(meta: Record<string, string>, source: string): ModelConfig {
  const text = meta[CONFIG_METADATA_KEY];
  if (text === undefined) return UNIVERSEG_V1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source}: metadata ${CONFIG_METADATA_KEY} is not JSON`);
  }
  return validateConfig({ ...UNIVERSEG_V1, ...(parsed as Partial<ModelConfig>) }, source);
}

export interface BlockShape {
  prefix: string;
  /** Query-side and support-side input channels of the cross conv. */
  queryIn: number;
  supportIn: number;
  out: number;
}

/** Channel counts of every CrossBlock, in state-dict order. */
export function blockShapes(c: ModelConfig): BlockShape[] {
  const blocks: BlockShape[] = [];
  let prev = 0;
  c.encoderWidths.forEach((w, i) => {
    blocks.push({ prefix: `enc_blocks.${i}`, queryIn: i === 0 ? 1 : prev, supportIn: i === 0 ? 2 : prev, out: w });
    prev = w;
  });
  const depth = c.encoderWidths.length;
  c.decoderWidths.forEach((w, j) => {
    const skip = c.encoderWidths[depth - 2 - j]!;
    blocks.push({ prefix: `dec_blocks.${j}`, queryIn: prev + skip, supportIn: prev + skip, out: w });
    prev = w;
  });
  return blocks;
}

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Kaiming fan-in gain: leaky_relu for convs followed by one, linear for the cross and output convs. */
  gain: number;
}

const LEAKY_GAIN = Math.sqrt(2 / (1 + 0.01 ** 2));

/** Every parameter of the network, in the reference state-dict order. */
export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (const b of blockShapes(c)) {
    specs.push({ name: `${b.prefix}.cross.cross_conv.weight`, shape: [b.out, b.queryIn + b.supportIn, 3, 3], gain: 1 });
    specs.push({ name: `${b.prefix}.cross.cross_conv.bias`, shape: [b.out], gain: 0 });
    for (const side of ['target', 'support']) {
      specs.push({ name: `${b.prefix}.${side}.vmapped.conv.weight`, shape: [b.out, b.out, 3, 3], gain: LEAKY_GAIN });
      specs.push({ name: `${b.prefix}.${side}.vmapped.conv.bias`, shape: [b.out], gain: 0 });
    }
  }
  const last = c.decoderWidths[c.decoderWidths.length - 1]!;
  specs.push({ name: 'out_conv.conv.weight', shape: [1, last, 1, 1], gain: 1 });
  specs.push({ name: 'out_conv.conv.bias', shape: [1], gain: 0 });
  return specs;
}

/** The last decoder block's support branch feeds nothing: inference skips it and training leaves it unchanged. */
export function deadParams(c: ModelConfig): string[] {
  const last = `dec_blocks.${c.decoderWidths.length - 1}.support.vmapped.conv`;
  return [`${last}.weight`, `${last}.bias`];
}
