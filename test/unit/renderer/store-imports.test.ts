import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const STORES = path.join(import.meta.dirname, '../../../renderer/src/stores');

/** Which stores each store imports at runtime (type-only imports carry nothing at runtime). */
function storeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(STORES).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(STORES, file), 'utf8');
    const imports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'\.\/([\w-]+)\.js';/gm)].map((m) => `${m[1]}.ts`);
    graph.set(file, imports);
  }
  return graph;
}

test('the stores import each other without a cycle, and the study store imports no other store but notices', () => {
  const graph = storeImports();
  assert.ok(graph.size >= 8, 'the stores were found');
  assert.deepEqual(graph.get('study.ts'), ['notices.ts']);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    assert.notEqual(state.get(file), 'open', `import cycle: ${[...trail, file].join(' -> ')}`);
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
});
