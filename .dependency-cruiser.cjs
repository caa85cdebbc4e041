/**
 * The layers, as rules the build enforces (`npm run lint:deps`):
 *   core/contract   the API's schemas, codec, errors, events and defaults: pure, imports nothing but zod
 *   core/project    the Project model and its files
 *   core/engine     the contract's handlers, path rules, registries, job queue
 *   core/server, core/cli, core/jobs   hosts of the engine and of jobs
 *   core/{data,model,infer,analysis,train,eval,util}   the libraries underneath
 *   electron/       the desktop shell: main relays, the engine runs in its own process (engine-host.ts)
 *   renderer/src    the viewer, which sees only the contract
 * Type-only imports count: a type cycle is still a cycle to whoever reads the code.
 */
const LIBRARIES = '^core/(data|model|infer|analysis|train|eval|util)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules that import each other cannot be read, tested or moved apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-is-pure',
      severity: 'error',
      comment: 'The contract runs in the renderer and the engine alike: zod and itself only.',
      from: { path: '^core/contract/' },
      to: { pathNot: ['^core/contract/', '^node_modules/zod/'] },
    },
    {
      name: 'renderer-sees-only-the-contract',
      severity: 'error',
      comment: 'The viewer talks to the engine through the contract; it never runs engine code.',
      from: { path: '^renderer/src/' },
      // Except the surface builder the 3D view's worker runs (pure: no Node, no DOM), so what the view shows is
      // what `exportSurface` and `universeg mesh` write.
      to: {
        path: '^core/',
        pathNot: [
          '^core/contract/',
          '^core/analysis/(label-surface|marching-cubes|surface-normals|surface-smoothing|vtk-polys)\\.ts$',
          // The viewer cuts slices of a volume it holds (issue #17) with the engine's own layout.
          '^core/data/(label-extents|volume|slice-layout|extract-slice|insert-slice)\\.ts$',
        ],
      },
    },
    {
      name: 'renderer-has-no-node',
      severity: 'error',
      comment: 'The page runs sandboxed without Node.',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-has-no-shell',
      severity: 'error',
      comment: 'core/ runs under Node alone (CLI, serve, jobs): no Electron, Vue, Pinia or DOM code.',
      from: { path: '^core/' },
      to: { path: ['^electron/', '^renderer/', '^node_modules/(electron|vue|pinia|@vue)/'] },
    },
    {
      name: 'main-process-only-relays',
      severity: 'error',
      comment:
        "Electron's main process relays the page's calls to the engine's own process and starts job processes; the engine runs only there (engine-host.ts and what it starts), so nothing can stall the window.",
      // start.ts is `npm start`, which runs before Electron does (and falls back to `universeg serve`).
      from: { path: '^electron/', pathNot: '^electron/(engine-host|engine-process|relayed-jobs|start)[.]ts$' },
      // The page's own files are served by main, as `serve` serves them.
      to: {
        path: '^core/',
        pathNot: ['^core/contract/', '^core/util/', '^core/jobs/job-(process|protocol)[.]ts$', '^core/server/(headers|static-files)[.]ts$'],
      },
    },
    {
      name: 'project-model-below-engine',
      severity: 'error',
      comment: 'The Project model is used by the engine and jobs; it knows nothing of them.',
      from: { path: '^core/project/' },
      to: { path: '^core/(engine|server|cli|jobs)/' },
    },
    {
      name: 'engine-below-hosts',
      severity: 'error',
      comment: 'Hosts (serve, CLI, Electron) call the engine, not the other way round.',
      from: { path: '^core/engine/' },
      to: { path: '^core/(server|cli)/' },
    },
    {
      name: 'libraries-below-engine',
      severity: 'error',
      comment: 'Reading images, running the network, propagating: usable without the workstation around them.',
      from: { path: LIBRARIES },
      to: { path: '^core/(engine|project|server|cli|jobs)/' },
    },
    {
      name: 'util-is-the-floor',
      severity: 'error',
      comment: 'core/util (atomic writes, temporary files, file errors, RNG) is what every layer may use, so it uses none.',
      from: { path: '^core/util/' },
      to: { path: '^(core/(?!util/)|electron/|renderer/)' },
    },
    {
      name: 'model-without-image-io',
      severity: 'error',
      comment: 'The network and its weights files need no image reading.',
      from: { path: '^core/model/' },
      to: { path: '^core/data/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^renderer/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // itk-wasm's packages list a `types` condition first whose path does not exist; resolve what runs instead.
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
