import os from 'node:os';
import type ort from 'onnxruntime-node';
import { Random } from '../util/random.js';
import type { ModelConfig } from './config.js';
import { buildInferenceModel, type Weights } from './inference-graph.js';
import { SessionCache } from './session-cache.js';
import { createSession, floatTensor, run, type Device, type EngineOptions } from './session.js';
import { readWeightsFile } from './weights-file.js';

/** Layouts as in the reference: query (B,1,H,W), support (B,N,1,H,W); images in [0,1], labels {0,1}. */
export interface LogitsInput {
  query: Float32Array;
  supportImages: Float32Array;
  supportLabels: Float32Array;
  batch: number;
  support: number;
  height: number;
  width: number;
}

/** Queries and a pool of labelled examples to draw support sets from, all (count,1,H,W). */
export interface PredictInput {
  queries: Float32Array;
  count: number;
  poolImages: Float32Array;
  poolLabels: Float32Array;
  poolSize: number;
  height: number;
  width: number;
  /** Support set size N; default: the whole pool, up to 64. */
  supportSize?: number;
  /** Number K of independently sampled support sets whose probabilities are averaged. */
  ensemble?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PredictResult {
  /** Mean of the members' sigmoid probabilities, (count,1,H,W). */
  probabilities: Float32Array;
  /** Per-pixel standard deviation across ensemble members (zeros for K = 1). */
  spread: Float32Array;
  /** Pool indices each member used as its support set. */
  members: number[][];
}

export const MAX_DEFAULT_SUPPORT = 64;

/** Measured RSS a session with the CPU arena keeps per pixel of its inputs (0.4 GiB at N = 8 and 128 px). */
const ARENA_BYTES_PER_PIXEL = 3 * 1024;

/** Memory the cached sessions may hold: a sixth of the machine, at least enough for propagation's shapes. */
export function defaultSessionBudget(): number {
  return Math.max(3 * 2 ** 30, os.totalmem() / 6);
}

export class Model {
  private readonly sessions: SessionCache<ort.InferenceSession>;
  private resolvedDevice: Device | undefined;

  constructor(
    readonly config: ModelConfig,
    readonly weights: Weights,
    private readonly engine: EngineOptions = {},
    readonly metadata: Record<string, string> = {},
  ) {
    this.sessions = new SessionCache(engine.sessionBudget ?? defaultSessionBudget());
  }

  /** The device sessions run on, known once the first one is created. */
  get device(): Device | undefined {
    return this.resolvedDevice;
  }

  /** Runs `work` on the session for this shape, built on first use and kept while the memory budget allows. */
  private withSession<T>(batch: number, support: number, size: number, work: (s: ort.InferenceSession) => Promise<T>): Promise<T> {
    // Without the arena a session keeps little beyond its weights; the budget is for what the arena holds.
    const bytes = this.engine.memoryArena === false ? 0 : ARENA_BYTES_PER_PIXEL * batch * (support + 1) * size * size;
    const create = async () => {
      const graph = buildInferenceModel(this.config, this.weights, { batch, support, size });
      const device = this.resolvedDevice ?? this.engine.device;
      const created = await createSession(graph, { ...this.engine, device });
      this.resolvedDevice = created.device;
      return created.session;
    };
    return this.sessions.use(`${batch}x${support}x${size}`, bytes, create, work);
  }

  /** Shapes whose sessions are cached now, as `BxNxS`, least recently used first. */
  get cachedShapes(): string[] {
    return this.sessions.keys;
  }

  async logits(input: LogitsInput): Promise<Float32Array> {
    const { batch: B, support: N, height: H, width: W } = input;
    checkGeometry(this.config, H, W);
    if (!Number.isInteger(N) || N < 1) throw new Error(`support size must be a positive integer, got ${N}`);
    const plane = H * W;
    expectLength('query', input.query, B * plane);
    expectLength('supportImages', input.supportImages, B * N * plane);
    expectLength('supportLabels', input.supportLabels, B * N * plane);
    const out = await this.withSession(B, N, H, (session) =>
      run(session, {
        query: floatTensor(input.query, [B, 1, H, W]),
        support_images: floatTensor(input.supportImages, [B, N, 1, H, W]),
        support_labels: floatTensor(input.supportLabels, [B, N, 1, H, W]),
      }),
    );
    return out.logits!;
  }

  /** Probabilities with support-set ensembling: K seeded draws of N examples from the pool, averaged. */
  async predict(input: PredictInput): Promise<PredictResult> {
    const { count, poolSize, height: H, width: W } = input;
    const plane = H * W;
    expectLength('queries', input.queries, count * plane);
    expectLength('poolImages', input.poolImages, poolSize * plane);
    expectLength('poolLabels', input.poolLabels, poolSize * plane);
    if (poolSize < 1) throw new Error('predict needs at least one labelled example');
    const N = Math.min(input.supportSize ?? MAX_DEFAULT_SUPPORT, poolSize);
    // Drawing all of a pool no larger than N gives the same set every time: one member is the whole ensemble.
    const K = N === poolSize ? 1 : Math.max(1, input.ensemble ?? 1);
    const rng = new Random(input.seed ?? 0);
    const members = Array.from({ length: K }, () => rng.sample(poolSize, N).sort((a, b) => a - b));

    const sum = new Float32Array(count * plane);
    const sumSq = new Float32Array(count * plane);
    const supportImages = new Float32Array(N * plane);
    const supportLabels = new Float32Array(N * plane);
    let done = 0;
    for (const member of members) {
      member.forEach((p, i) => {
        supportImages.set(input.poolImages.subarray(p * plane, (p + 1) * plane), i * plane);
        supportLabels.set(input.poolLabels.subarray(p * plane, (p + 1) * plane), i * plane);
      });
      for (let q = 0; q < count; q++) {
        input.signal?.throwIfAborted();
        const logits = await this.logits({
          query: input.queries.subarray(q * plane, (q + 1) * plane),
          supportImages,
          supportLabels,
          batch: 1,
          support: N,
          height: H,
          width: W,
        });
        const base = q * plane;
        for (let i = 0; i < plane; i++) {
          const p = 1 / (1 + Math.exp(-logits[i]!));
          sum[base + i]! += p;
          sumSq[base + i]! += p * p;
        }
        input.onProgress?.(++done, K * count);
      }
    }
    const spread = new Float32Array(count * plane);
    for (let i = 0; i < sum.length; i++) {
      const mean = sum[i]! / K;
      sum[i] = mean;
      // One member has no spread; computing it would leave float rounding noise instead of zeros.
      if (K > 1) spread[i] = Math.sqrt(Math.max(0, sumSq[i]! / K - mean * mean));
    }
    return { probabilities: sum, spread, members };
  }

  release(): Promise<void> {
    return this.sessions.release();
  }
}

export async function loadModel(weightsPath: string, options: EngineOptions = {}): Promise<Model> {
  const file = await readWeightsFile(weightsPath);
  return new Model(file.config, file.weights, options, file.metadata);
}

function checkGeometry(config: ModelConfig, H: number, W: number): void {
  const factor = 2 ** (config.encoderWidths.length - 1);
  if (H !== W) throw new Error(`the model takes square inputs; got ${H}x${W} (resize first)`);
  if (!Number.isInteger(H) || H < factor || H % factor !== 0) {
    throw new Error(`input size ${H} must be a positive multiple of ${factor}`);
  }
}

function expectLength(name: string, data: Float32Array, expected: number): void {
  if (data.length !== expected) throw new Error(`${name} has ${data.length} values, expected ${expected}`);
}
