import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportLabelSurface } from '../analysis/label-surface-export.js';
import { MESH_FORMATS } from '../data/write-surface-mesh.js';
import { readImageWithLabels } from './image-with-labels.js';
import { UsageError } from './options.js';

const HELP = `usage: universeg mesh IMAGE LABELS --label V --out FILE.stl|.obj|.vtk [--smoothing F] [--json]

The surface of one label of a label map (marching cubes between the label's voxel centres and its neighbours'),
as the workstation's 3D view shows it, written with itk-wasm's mesh-io. Coordinates are physical millimetres in
LPS (ITK's and DICOM's patient space), which 3D Slicer assumes for these files. IMAGE is a file or a DICOM series
folder; LABELS must lie on its voxel grid (a DICOM SEG of that series is placed on it).
  --label V       the label value, 1..255
  --out FILE      .stl (binary), .obj or .vtk (legacy polydata)
  --smoothing F   windowed sinc smoothing, 0 (none, default) to 1 (Slicer's default is 0.5)
  --json          print {path, format, points, triangles}
  --verbose       stack traces for unexpected errors`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      out: { type: 'string' },
      smoothing: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(`give IMAGE and LABELS, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'} (see --help)`);
  const label = Number(values.label);
  if (!values.label || !Number.isInteger(label) || label < 1 || label > 255) throw new UsageError('--label takes a label value, 1..255');
  if (!values.out || !MESH_FORMATS.some((f) => values.out!.toLowerCase().endsWith(`.${f}`)))
    throw new UsageError(`--out takes a file ending ${MESH_FORMATS.map((f) => `.${f}`).join(', ')}`);
  const smoothing = values.smoothing === undefined ? 0 : Number(values.smoothing);
  if (!(smoothing >= 0 && smoothing <= 1)) throw new UsageError('--smoothing takes a number from 0 to 1');
  const [imageFile, labelsFile] = positionals as [string, string];
  const { image, labels } = await readImageWithLabels(imageFile, labelsFile);
  const { size, spacing, origin, direction } = image;
  const written = await exportLabelSurface(path.resolve(values.out), { data: labels.data, size, spacing, origin, direction }, label, {
    smoothing,
    protect: [image.source, labels.source],
  });
  if (values.json) console.log(JSON.stringify(written));
  else
    console.log(
      `${written.path}: label ${label}, ${written.points} points, ${written.triangles} triangles (${written.format.toUpperCase()}, LPS mm)`,
    );
  return 0;
}
