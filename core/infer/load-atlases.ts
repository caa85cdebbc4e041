import fs from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import type { StudyProblem } from '../data/scan-study.js';
import { labelColor } from '../contract/label-palette.js';
import type { Segment } from '../data/segment.js';
import { gridMismatch } from '../data/grid-mismatch.js';
import type { Atlas } from './atlas-segmentation.js';
import { slicesWithLabels } from './labelled-slices.js';
import type { SupportPair } from './pair-support-files.js';

export interface LoadedAtlases {
  atlases: Atlas[];
  /** Every label value of the support, ascending. */
  values: number[];
  /** Names and colours from the support's label tables, where they have any. */
  segments: Segment[];
  /** Pairs holding 2D images: support for a folder of 2D images, not for volumes. */
  planar: SupportPair[];
  problems: StudyProblem[];
}

/**
 * Reads support volumes and their label maps. A pair whose label map does not match its image (another size) or
 * lies on another grid (spacing, origin, orientation) is left out with the reason: registration carries the label
 * map along the image's voxels, so a map on another grid would land in the wrong place. A label map whose labelled
 * slices along k are not one run counts only on those slices (labelled on a few slices, as in propagation);
 * otherwise it is fully labelled, empty slices beyond its labels included.
 */
export async function loadAtlases(pairs: readonly SupportPair[]): Promise<LoadedAtlases> {
  const result: LoadedAtlases = { atlases: [], values: [], segments: [], planar: [], problems: [] };
  const values = new Set<number>();
  for (const pair of pairs) {
    try {
      const [image, labels] = await Promise.all([readVolume(pair.image), readLabelVolume(pair.labels)]);
      if (image.dimension !== 3 || labels.dimension !== 3) {
        result.planar.push(pair);
        continue;
      }
      if (image.size.join() !== labels.size.join()) {
        throw new Error(
          `the label map ${pair.labels} (${labels.size.join('x')}) does not match its image (${image.size.join('x')}); left out of the support`,
        );
      }
      const mismatch = gridMismatch(image, labels);
      if (mismatch)
        throw new Error(`the label map ${pair.labels} lies on another grid than its image (${mismatch}); left out of the support`);
      const labelled = slicesWithLabels(labels, 2);
      if (labelled.length === 0) throw new Error(`the label map ${pair.labels} holds no label; left out of the support`);
      const contiguous = labelled.at(-1)! - labelled[0]! + 1 === labelled.length;
      const labelledSlices = contiguous ? Array.from({ length: labels.size[2] }, (_, k) => k) : labelled;
      for (const v of new Set(labels.data)) if (v) values.add(v);
      result.atlases.push({ image, labels, labelledSlices, source: pair.image });
      for (const s of await labelTable(pair.labels)) if (!result.segments.some((t) => t.value === s.value)) result.segments.push(s);
    } catch (err) {
      const message = (err as Error).message;
      result.problems.push({
        path: pair.image,
        reason: message.startsWith(`${pair.image}: `) ? message.slice(pair.image.length + 2) : message,
      });
    }
  }
  result.values = [...values].sort((a, b) => a - b);
  result.segments = result.segments.filter((s) => values.has(s.value)).sort((a, b) => a.value - b.value);
  return result;
}

/**
 * Names and colours of a label map's values: from a .seg.nrrd's Segment<i>_* header fields, or from a text table
 * beside it with the same stem (`<value> <name> ...` per line, as the AAL atlas ships; `#` comments). Empty when
 * neither says anything; a text table's values get the default palette's colours.
 */
export async function labelTable(labelsFile: string): Promise<Segment[]> {
  if (labelsFile.endsWith('.seg.nrrd')) {
    const handle = await fs.open(labelsFile);
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 16), 0, 1 << 16, 0);
      const header = buffer
        .subarray(0, bytesRead)
        .toString('latin1')
        .split(/\r?\n\r?\n/)[0]!;
      const fields = new Map(header.split(/\r?\n/).flatMap((line) => (line.includes(':=') ? [line.split(':=') as [string, string]] : [])));
      const segments: Segment[] = [];
      for (let i = 0; fields.has(`Segment${i}_LabelValue`); i++) {
        const color = (fields.get(`Segment${i}_Color`) ?? '').split(/\s+/).map((c) => Math.round(Number(c) * 255));
        segments.push({
          value: Number(fields.get(`Segment${i}_LabelValue`)),
          name: fields.get(`Segment${i}_Name`) ?? `Segment ${i}`,
          color: (color.length === 3 && color.every(Number.isFinite) ? color : [128, 128, 128]) as Segment['color'],
        });
      }
      return segments;
    } finally {
      await handle.close();
    }
  }
  const table = path.join(path.dirname(labelsFile), `${path.basename(labelsFile).replace(/\.(nii\.gz|nii|nrrd|mha|mhd)$/, '')}.txt`);
  const text = await fs.readFile(table, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  return text.split(/\r?\n/).flatMap((line) => {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    const value = Number(m?.[1]);
    return m && !line.trim().startsWith('#') && value >= 1 && value <= 255 ? [{ value, name: m[2]!, color: labelColor(value) }] : [];
  });
}
