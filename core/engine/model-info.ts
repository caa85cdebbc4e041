import path from 'node:path';
import type { ModelInfo } from '../contract/index.js';
import type { Project } from '../project/project.js';

/** The weights a project propagates with: its own choice, else the engine's default. */
export function modelInfo(project: Project, defaultModel: string): ModelInfo {
  const file = project.model ?? defaultModel;
  return { name: path.basename(file).replace(/\.safetensors$/i, ''), path: file };
}
