import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PipelineInput, PipelineOutput, runPipelineNode } from 'itk-wasm';

type RunResult = Awaited<ReturnType<typeof runPipelineNode>>;
type EmscriptenModule = object;
type Runner = (module: EmscriptenModule, args: string[], outputs: PipelineOutput[], inputs: PipelineInput[]) => RunResult;

/**
 * Runs an itk-wasm pipeline in this thread with its compiled module kept for the next call. itk-wasm's Node runner
 * (runPipelineNode) reads, decompresses and compiles the pipeline's wasm on every call, 60-70 ms here: more than
 * contour interpolation of a slab takes, and propagation interpolates once per label and once per leave-one-out
 * slice. itk-wasm's browser runner keeps each loaded module and runs it again (its run-pipeline.js); this does the
 * same in Node with the loader and runner that runPipelineNode itself calls. They are not in the package's exports,
 * so they are found beside its entry point (the version is pinned by package-lock.json).
 */
export async function runCachedPipeline(
  pipelinePath: string,
  args: string[],
  outputs: PipelineOutput[],
  inputs: PipelineInput[],
): Promise<RunResult> {
  const { load, run } = await (internals ??= loadInternals());
  let module = modules.get(pipelinePath);
  if (!module) {
    module = load(pipelinePath);
    module.catch(() => modules.delete(pipelinePath));
    modules.set(pipelinePath, module);
  }
  return run(await module, args, outputs, inputs);
}

const modules = new Map<string, Promise<EmscriptenModule>>();
let internals: Promise<{ load: (pipelinePath: string) => Promise<EmscriptenModule>; run: Runner }> | undefined;

async function loadInternals() {
  const dist = path.dirname(createRequire(import.meta.url).resolve('itk-wasm'));
  const internal = (file: string) => import(pathToFileURL(path.join(dist, 'pipeline', 'internal', file)).href);
  const [loader, runner] = await Promise.all([internal('load-emscripten-module-node.js'), internal('run-pipeline-emscripten.js')]);
  return { load: loader.default as (pipelinePath: string) => Promise<EmscriptenModule>, run: runner.default as Runner };
}
