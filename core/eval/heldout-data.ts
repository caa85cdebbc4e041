import fs from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../data/read-label-volume.js';
import { readVolume } from '../data/read-volume.js';
import type { LabelVolume, Volume } from '../data/volume.js';

/** A labelled volume and the regions of it that were held out of training: `assets/eval/*.json`. */
export interface HeldoutManifest {
  name: string;
  note?: string;
  /** Paths relative to the manifest. */
  image: string;
  labels: string;
  regions: HeldoutRegion[];
}

export interface HeldoutRegion {
  /** The region's value in the label map. */
  id: number;
  name: string;
}

export interface HeldoutData {
  name: string;
  image: Volume;
  labels: LabelVolume;
  regions: HeldoutRegion[];
}

/** Reads and checks a manifest; its image and label paths come back absolute. */
export async function readHeldoutManifest(file: string): Promise<HeldoutManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`${file}: cannot read the held-out data manifest (${why})`, { cause: err });
  }
  const m = parsed as Partial<HeldoutManifest>;
  const bad = (why: string) => new Error(`${file}: ${why}`);
  if (typeof m.image !== 'string' || typeof m.labels !== 'string') throw bad('the manifest needs "image" and "labels" paths');
  if (!Array.isArray(m.regions) || m.regions.length === 0) throw bad('the manifest needs a non-empty "regions" list of { "id", "name" }');
  const ids = new Set<number>();
  for (const r of m.regions) {
    if (!Number.isInteger(r?.id) || r.id < 1 || r.id > 255 || typeof r.name !== 'string')
      throw bad(`region ${JSON.stringify(r)} needs an integer "id" in 1..255 and a "name"`);
    if (ids.has(r.id)) throw bad(`region id ${r.id} is listed twice`);
    ids.add(r.id);
  }
  const dir = path.dirname(path.resolve(file));
  return {
    name: typeof m.name === 'string' ? m.name : path.basename(file, '.json'),
    note: m.note,
    image: path.resolve(dir, m.image),
    labels: path.resolve(dir, m.labels),
    regions: m.regions.map((r) => ({ id: r.id, name: r.name })),
  };
}

/** The manifest's image and label map, which must share one grid, and its regions, each present in the map. */
export async function loadHeldoutData(file: string): Promise<HeldoutData> {
  const manifest = await readHeldoutManifest(file);
  const [image, labels] = await Promise.all([readVolume(manifest.image), readLabelVolume(manifest.labels)]);
  if (image.size.join() !== labels.size.join()) {
    throw new Error(
      `${file}: the label map ${manifest.labels} is ${labels.size.join('x')} but the image ${manifest.image} is ${image.size.join('x')}`,
    );
  }
  const present = new Set(labels.data);
  const missing = manifest.regions.filter((r) => !present.has(r.id));
  if (missing.length)
    throw new Error(`${file}: regions ${missing.map((r) => `${r.id} ${r.name}`).join(', ')} do not occur in ${manifest.labels}`);
  return { name: manifest.name, image, labels, regions: manifest.regions };
}
