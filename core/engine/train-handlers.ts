import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiHandlers, ModelInfo } from '../contract/index.js';
import { readWeightsFile } from '../model/weights-file.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import type { TrainingRunOptions } from '../train/run-training.js';
import { ApiError } from '../contract/errors.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';
import { MODELS_DIR } from '../project/project-files.js';
import type { Project } from '../project/project.js';
import { IMAGE, studyImages, supportOf } from './study-images.js';
import { supportSlices, writeTrainingData } from './training-data.js';

/** Fine-tuning reuses weights already trained: gentler than training from scratch. */
const FINE_TUNE = { lr: 5e-5, batch: 1, clipNorm: 1, bceWeight: 0.5, seed: 0, augment: true, syntheticWeight: 0.25 };

/** Models of an item: the engine's default, those fine-tuned on it (in its project's models/ folder), and the one it uses. */
async function modelsOf(project: Project, defaultModel: string): Promise<ModelInfo[]> {
  const dir = path.join(project.folder, MODELS_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.safetensors')).sort();
  const own = names.map((n) => ({ name: n.replace(/\.safetensors$/, ''), path: path.join(dir, n) }));
  // An image of a folder may use a model fine-tuned from another image's page: it is one of its models too.
  const shared =
    project.model && !own.some((m) => m.path === project.model)
      ? [{ name: path.basename(project.model).replace(/\.safetensors$/i, ''), path: project.model }]
      : [];
  return [{ name: path.basename(defaultModel).replace(/\.safetensors$/i, ''), path: defaultModel }, ...own, ...shared];
}

/** Fine-tuning the item's model on its support slices, and choosing which model it propagates with. */
export function trainHandlers(parts: EngineParts): Pick<ApiHandlers, 'listModels' | 'setModel' | 'train'> {
  const { projects, jobs, studies } = parts;

  /**
   * What fine-tuning learns from: a volume's support slices, or, for an image of a folder of 2D images, every
   * support image of the folder (and then the new model serves each of them).
   */
  async function trainingExamples(studyId: string, itemId: string, project: Project) {
    if (studies.item(studyId, itemId).kind === 'image2d') {
      const support = supportOf(await studyImages(parts, studyId));
      const examples = [];
      for (const { itemId: id, project: p } of support) {
        const { volume } = await studies.load(studyId, id);
        if (p.labels) examples.push(...supportSlices(volume, p.labels, p.axis, [IMAGE]));
      }
      return { examples, projects: support.map((s) => s.project), unit: 'image' };
    }
    const { volume } = await studies.load(studyId, itemId);
    const support = project.slicesWith('support');
    return { examples: project.labels ? supportSlices(volume, project.labels, project.axis, support) : [], projects: [], unit: 'slice' };
  }

  return {
    async listModels({ studyId, itemId }) {
      return modelsOf(await parts.projectFor(studyId, itemId), parts.modelPath);
    },

    async setModel({ studyId, itemId, path: file }) {
      const project = await parts.projectFor(studyId, itemId);
      const known = await modelsOf(project, parts.modelPath);
      if (!known.some((m) => m.path === file))
        throw new ApiError('bad-request', `${file} is not one of this image's models (see listModels)`);
      project.setModel(file === parts.modelPath ? null : file);
      projects.changed(project);
      return project.info(studyId, itemId, modelInfo(project, parts.modelPath));
    },

    async train({ studyId, itemId, steps, name }) {
      const project = await parts.projectFor(studyId, itemId);
      if (jobs.pending('train', studyId, itemId))
        throw new ApiError('bad-request', 'this image is already being trained on: wait for it or stop it');
      const { examples, projects: using, unit } = await trainingExamples(studyId, itemId, project);
      if (examples.length < 2) throw new ApiError('bad-request', `fine-tuning needs at least two support ${unit}s with labels`);
      const target = path.join(project.folder, MODELS_DIR, `${name}.safetensors`);
      if (await stat(target).catch(() => null))
        throw new ApiError('bad-request', `a model named ${name} exists already: choose another name`);
      const from = modelInfo(project, parts.modelPath).path;
      const { config } = await readWeightsFile(from).catch((err: unknown) => {
        throw new ApiError('internal', err instanceof Error ? err.message : String(err));
      });
      const runDir = path.join(project.folder, 'training', name);
      await rm(runDir, { recursive: true, force: true });
      const manifest = await writeTrainingData(path.join(runDir, 'data'), name, examples);
      const options: TrainingRunOptions = {
        ...FINE_TUNE,
        size: config.inputSize,
        support: Math.min(4, examples.length - 1),
        steps,
        warmup: Math.min(50, Math.floor(steps / 10)),
        out: path.join(runDir, 'run'),
        resume: false,
        data: [manifest],
        from,
        checkpointEvery: 0,
        validateEvery: 0,
        validationSets: 0,
      };
      let jobId = '';
      const job = jobs.submit({
        kind: 'train',
        params: { options },
        studyId,
        itemId,
        message: `Fine-tuning ${path.basename(from)} on ${examples.length} support ${unit}s for ${steps} steps`,
        onEvent(e) {
          if (e.type === 'step' && e.loss !== null) parts.ctx.events.emit({ type: 'loss', jobId, step: e.step, loss: e.loss });
        },
        async onFinish(outcome) {
          // A stopped run leaves the weights of its last step: they are kept as the model too.
          if (outcome.status === 'failed') return undefined;
          const trained = path.join(options.out, 'model.safetensors');
          if (!(await stat(trained).catch(() => null))) return undefined;
          await mkdir(path.dirname(target), { recursive: true });
          await writeFileAtomic(target, await readFile(trained));
          for (const p of new Set([project, ...using])) {
            p.setModel(target);
            projects.changed(p);
            parts.announce(p, true);
          }
          return `saved as ${name}; propagation now uses it`;
        },
      });
      jobId = job.jobId;
      return job;
    },
  };
}
