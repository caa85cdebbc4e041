import { parseArgs } from 'node:util';
import { labelStatistics } from '../analysis/label-statistics.js';
import { rounded, statisticsCsv } from '../contract/statistics-csv.js';
import { alignedTable } from './aligned-table.js';
import { readImageWithLabels } from './image-with-labels.js';
import { UsageError } from './options.js';

const HELP = `usage: universeg stats IMAGE LABELS [--csv | --json]

Per label of a label map: voxels, volume in mm³ and mL (from the spacing), mean and standard deviation of the
image inside, and the first and last voxel index holding it along i, j and k (0-based). IMAGE is a file or a
DICOM series folder; LABELS must lie on its voxel grid (a DICOM SEG of that series is placed on it, and its
segment names are printed, as a .seg.nrrd's are).
  --csv      print CSV (value,name,voxels,volume_mm3,volume_ml,mean,sd,i_first,...,k_last), as the workstation exports it
  --json     print a JSON array, numbers unrounded
  --verbose  stack traces for unexpected errors`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { csv: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(`give IMAGE and LABELS, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'} (see --help)`);
  if (values.csv && values.json) throw new UsageError('--csv and --json: pick one');
  const [imageFile, labelsFile] = positionals as [string, string];
  const { image, labels, segments } = await readImageWithLabels(imageFile, labelsFile);
  // Names from the file (DICOM SEG, .seg.nrrd) where it gives them.
  const stats = labelStatistics(image, labels, segments ?? []);
  if (values.json)
    console.log(
      JSON.stringify(
        stats.map(({ color: _color, ...s }) => s),
        null,
        2,
      ),
    );
  else if (values.csv) process.stdout.write(statisticsCsv(stats));
  else if (stats.length === 0) console.log(`${labelsFile}: no labels (every voxel is 0)`);
  else console.log(table(stats));
  return 0;
}

function table(stats: ReturnType<typeof labelStatistics>): string {
  const rows = stats.map((s) => {
    const [mm3, ml, mean, sd] = rounded(s);
    return [String(s.value), s.name, String(s.voxels), mm3, ml, mean, sd, ...s.extent.map(([a, b]) => `${a}-${b}`)];
  });
  return alignedTable([['label', 'name', 'voxels', 'mm³', 'mL', 'mean', 'SD', 'i', 'j', 'k'], ...rows]);
}
