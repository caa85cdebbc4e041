import path from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The weights shipped with the package, used when no model file is named. */
export function defaultModelPath(): string {
  return path.join(packageRoot(), 'assets', 'models', 'universeg-default.safetensors');
}
