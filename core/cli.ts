import { UsageError } from './cli/options.js';

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  segment: { summary: 'segment every image of a study folder from labelled examples', load: () => import('./cli/segment.js') },
  propagate: { summary: 'fill the unlabelled slices of a partly labelled volume', load: () => import('./cli/propagate.js') },
  train: { summary: 'train or fine-tune a model (Algorithm 1: synthetic and real tasks)', load: () => import('./cli/train.js') },
  serve: { summary: 'serve the viewer and API on 127.0.0.1 for a browser', load: () => import('./cli/serve.js') },
  stats: { summary: 'per label: voxels, volume (mm³, mL), mean and SD of the image, extent', load: () => import('./cli/stats.js') },
  mesh: { summary: "a label's surface as STL, OBJ or VTK (LPS mm), as the 3D view shows it", load: () => import('./cli/mesh.js') },
  eval: { summary: 'Dice on held-out tasks beside baselines (2D in-context and volume propagation)', load: () => import('./cli/eval.js') },
  bench: { summary: 'measure inference (and --train step) speed', load: () => import('./cli/bench.js') },
  'import-weights': { summary: 'convert a PyTorch .pt state dict to .safetensors', load: () => import('./cli/import-weights.js') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`);
  return `usage: universeg <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'universeg <command> --help' for a command's options.`;
}

/** Entry point of the `universeg` binary; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`universeg: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`universeg ${name}: ${(err as Error).message}`);
      return 2;
    }
    if (rest.includes('--verbose')) console.error(err);
    else console.error(`universeg ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
