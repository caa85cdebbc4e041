import { readItkImage } from './itk-io.js';
import { terminologyFromTags, type CodedSegment } from './slicer-terminology.js';

/**
 * The segments a 3D Slicer .seg.nrrd names in its header (one layer): label value, name, colour and coded
 * anatomy, in the file's order. Segments without a label value are left out.
 */
export async function readSegNrrdSegments(file: string): Promise<CodedSegment[]> {
  const image = await readItkImage(file, 'nrrd', true);
  const fields = image.metadata instanceof Map ? (image.metadata as Map<string, unknown>) : new Map(Object.entries(image.metadata ?? {}));
  const text = (key: string) => {
    const v = fields.get(key);
    return v === undefined || v === null ? undefined : String(v);
  };
  const segments: CodedSegment[] = [];
  for (let i = 0; text(`Segment${i}_ID`) !== undefined; i++) {
    const value = Number(text(`Segment${i}_LabelValue`));
    if (!Number.isInteger(value) || value < 1 || value > 255) continue;
    const rgb = (text(`Segment${i}_Color`) ?? '')
      .trim()
      .split(/\s+/)
      .map((c) => Math.round(Number(c) * 255));
    const color: [number, number, number] =
      rgb.length === 3 && rgb.every((c) => c >= 0 && c <= 255) ? (rgb as [number, number, number]) : [128, 128, 128];
    const terminology = terminologyFromTags(text(`Segment${i}_Tags`) ?? '');
    segments.push({
      value,
      name: (text(`Segment${i}_Name`) ?? `Segment ${value}`).slice(0, 64),
      color,
      ...(terminology ? { terminology } : {}),
    });
  }
  return segments;
}
