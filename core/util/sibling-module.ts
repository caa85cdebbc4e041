/**
 * The module `name` beside the module at `base` (its import.meta.url), for a process or thread to load: the
 * compiled .js where the caller runs from dist/, the .ts where it runs from the sources under tsx (tests, tools).
 */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/**
 * Code for `new Worker(code, { eval: true })` that imports `entry`: a TypeScript entry needs tsx's loader
 * registered in the worker's own thread first, which a worker started from the file cannot do.
 */
export function workerImportCode(entry: URL): string {
  return entry.pathname.endsWith('.ts')
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`
    : `import(${JSON.stringify(entry.href)})`;
}
