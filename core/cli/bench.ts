import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { UNIVERSEG_V1 } from '../model/config.js';
import { initialWeights } from '../model/init.js';
import { Model } from '../model/model.js';
import { convMacs } from '../model/network.js';
import type { DeviceRequest } from '../model/session.js';
import { loadModel } from '../model/model.js';
import { benchTrainingStep } from '../train/bench-step.js';
import { deviceOption, intOption, UsageError } from './options.js';

const HELP = `usage: universeg bench [--json] [--train] [--support 8,16,64] [--size 128] [--runs 7]
                      [--model FILE] [--device D] [--no-arena] [--torch-ref torch_ref.py]

Inference: median ms per query, GFLOP/s of the convolutions executed (split form; the unsplit-equivalent
count too) and peak RSS, each case in a fresh process. --train: ms per training step (batch 1, N=8) at 64 and
128. --torch-ref runs the reference PyTorch script with the same cases in the same run.`;

interface Case {
  kind: 'infer' | 'train';
  support: number;
  size: number;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      train: { type: 'boolean' },
      support: { type: 'string' },
      size: { type: 'string' },
      runs: { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string' },
      'no-arena': { type: 'boolean' },
      'torch-ref': { type: 'string' },
      case: { type: 'string' },
      help: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const runs = intOption('runs', values.runs, 7);
  const device = deviceOption(values.device);
  if (values.case) {
    const c = JSON.parse(values.case) as Case;
    const result =
      c.kind === 'train'
        ? await benchTrainingStep(c.size, c.support, runs, device)
        : await benchInference(c, runs, values.model, device, !values['no-arena']);
    console.log(JSON.stringify(result));
    return 0;
  }
  const size = intOption('size', values.size, 128, 8);
  const supports = (values.support ?? '8,16,64').split(',').map((s) => intOption('support', s, 0));
  const cases: Case[] = values.train
    ? [64, 128].map((s) => ({ kind: 'train' as const, support: 8, size: s }))
    : supports.map((n) => ({ kind: 'infer' as const, support: n, size }));
  const self = fileURLToPath(new URL('../../../bin/universeg.js', import.meta.url));
  const results = [];
  for (const c of cases) {
    const childArgs = [self, 'bench', '--case', JSON.stringify(c), '--runs', String(runs), '--device', device];
    if (values.model) childArgs.push('--model', values.model);
    if (values['no-arena']) childArgs.push('--no-arena');
    const line = execFileSync(process.execPath, childArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      .trim()
      .split('\n')
      .pop()!;
    const result = JSON.parse(line) as Record<string, unknown>;
    if (values['torch-ref'] && c.kind === 'infer') result.torchMs = torchReference(values['torch-ref'], c, runs);
    results.push(result);
    if (!values.json) console.error(JSON.stringify(result));
  }
  const report = { machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`, node: process.version, results };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  return 0;
}

async function benchInference(c: Case, runs: number, modelPath: string | undefined, device: DeviceRequest, arena: boolean) {
  const engine = { device, memoryArena: arena };
  const model = modelPath ? await loadModel(modelPath, engine) : new Model(UNIVERSEG_V1, initialWeights(UNIVERSEG_V1, 0), engine);
  const { support: N, size: S } = c;
  const plane = S * S;
  const rand = (n: number, binary: boolean) =>
    Float32Array.from({ length: n }, (_, i) => (binary ? ((i * 2654435761) >>> 28) & 1 : ((i * 40503) % 1000) / 1000));
  const input = {
    query: rand(plane, false),
    supportImages: rand(N * plane, false),
    supportLabels: rand(N * plane, true),
    batch: 1,
    support: N,
    height: S,
    width: S,
  };
  await model.logits(input);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await model.logits(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  const macs = convMacs(model.config, N, S);
  await model.release();
  return {
    kind: 'infer',
    device: model.device,
    support: N,
    size: S,
    msPerQuery: round(ms),
    gflopsPerSecond: round((2 * macs.split) / (ms * 1e6)),
    gflopPerQuery: round((2 * macs.split) / 1e9),
    unsplitGflopPerQuery: round((2 * macs.unsplit) / 1e9),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function torchReference(script: string, c: Case, runs: number): number | string {
  try {
    const out = execFileSync('/usr/bin/python3', [script, String(c.support), String(c.size), String(runs)], { encoding: 'utf8' });
    return round(Number(out.trim().split('\n').pop()));
  } catch (err) {
    throw new UsageError(`reference script ${script} failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
