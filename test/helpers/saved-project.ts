import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The map file the last committed save of a project folder names (labels or uncertainty), or null when there is
 * none yet: saves name their maps by generation, and project.json says which generation is the saved one.
 */
export function savedMapFile(folder: string, kind: 'labels' | 'uncertainty'): string | null {
  const file = path.join(folder, 'project.json');
  if (!existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { commit?: Record<string, { file: string } | null> };
  const named = saved.commit?.[kind]?.file;
  return named ? path.join(folder, named) : null;
}
