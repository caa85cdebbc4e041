import { parseArgs } from 'node:util';
import { readWeightsFile, writeWeightsFile } from '../model/weights-file.js';
import { UsageError } from './options.js';

/** `universeg import-weights IN.pt OUT.safetensors`: the published checkpoint, without Python. */
export async function run(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean' }, verbose: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      'usage: universeg import-weights IN.pt OUT.safetensors\n\nReads a PyTorch UniverSeg state dict (e.g. universeg_v1_nf64_ss64_STA.pt) and writes safetensors with its configuration.',
    );
    return 0;
  }
  const [input, output] = positionals;
  if (!input || !output || positionals.length !== 2) throw new UsageError('expected IN.pt OUT.safetensors');
  if (!output.endsWith('.safetensors')) throw new UsageError(`output must end in .safetensors: ${output}`);
  const file = await readWeightsFile(input);
  await writeWeightsFile(output, file.config, file.weights, { 'imported.from': input.split(/[\\/]/).pop()! });
  const params = [...file.weights.values()].reduce((s, t) => s + t.data.length, 0);
  console.log(`wrote ${output}: ${file.weights.size} tensors, ${params} parameters`);
  return 0;
}
