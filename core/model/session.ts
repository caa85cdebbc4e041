import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';

export type DeviceRequest = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type Device = Exclude<DeviceRequest, 'auto'>;

export interface EngineOptions {
  device?: DeviceRequest;
  /** ORT's CPU arena keeps freed blocks for reuse; off, peak RSS at N=64 roughly halves for ~20% more time. */
  memoryArena?: boolean;
  /** Bytes of arena the cached sessions of one model may keep (default: defaultSessionBudget in model.ts). */
  sessionBudget?: number;
  threads?: number;
  /** Called once with the device actually used and, when the request fell back, why. */
  onDevice?: (device: Device, note?: string) => void;
}

/** GPU providers to try for 'auto', best first, on this platform. */
function autoCandidates(): Device[] {
  if (process.platform === 'win32') return cudaInstalled() ? ['cuda', 'dml'] : ['dml'];
  if (process.platform === 'darwin') return ['coreml'];
  return cudaInstalled() ? ['cuda'] : [];
}

/**
 * onnxruntime-node's CUDA provider is a separate library its install step downloads (skipped offline); probing
 * for the file avoids a noisy failed load when it is absent.
 */
function cudaInstalled(): boolean {
  const binding = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  const dir = path.join(binding, '..', 'bin', 'napi-v6', process.platform, process.arch);
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return fs.existsSync(path.join(dir, lib));
}

function sessionOptions(device: Device, options: EngineOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: device === 'cpu' ? ['cpu'] : [device, 'cpu'],
    graphOptimizationLevel: 'all',
    enableCpuMemArena: options.memoryArena ?? true,
    intraOpNumThreads: options.threads ?? os.availableParallelism(),
    executionMode: 'sequential',
  };
}

/**
 * Creates a session on the requested device. An explicit GPU request that fails is an error; 'auto' falls back
 * to the CPU and reports why through onDevice.
 */
export async function createSession(
  model: Uint8Array,
  options: EngineOptions = {},
): Promise<{ session: ort.InferenceSession; device: Device }> {
  const request = options.device ?? 'auto';
  const candidates: Device[] = request === 'auto' ? [...autoCandidates(), 'cpu'] : [request];
  const failures: string[] = [];
  for (const device of candidates) {
    try {
      const session = await ort.InferenceSession.create(model, sessionOptions(device, options));
      options.onDevice?.(device, failures.length ? `fell back: ${failures.join('; ')}` : undefined);
      return { session, device };
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      if (request !== 'auto') throw new Error(`cannot run on ${device}: ${why}`, { cause: err });
      failures.push(`${device}: ${why}`);
    }
  }
  throw new Error(`no execution provider could run the model (${failures.join('; ')})`);
}

export function floatTensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

export async function run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const results = await session.run(feeds);
  const out: Record<string, Float32Array> = {};
  for (const [name, tensor] of Object.entries(results)) out[name] = tensor.data as Float32Array;
  return out;
}
