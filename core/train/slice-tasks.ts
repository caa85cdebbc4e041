import type { Axis, LabelVolume, Volume } from '../data/volume.js';

/** One binary task of a labelled volume: a label value seen in 2D slices along one axis. */
export interface SliceTask {
  name: string;
  image: Volume;
  labels: LabelVolume;
  label: number;
  axis: Axis;
  /** Slice indices along the axis that show the label (plus the mid-slice when it does). */
  slices: number[];
}

export interface SliceTaskOptions {
  /** Label values never to train on (held-out structures). */
  exclude?: ReadonlySet<number>;
  /** A slice counts when the label covers at least this fraction of it. */
  minFraction?: number;
  /** A task needs this many slices: a query and at least one support example. */
  minSlices?: number;
  /** Axes to cut slices across (default all three). */
  axes?: readonly Axis[];
}

/**
 * MegaMedical's rule for real data: every label value is its own binary task, and a 3D volume gives 2D slices
 * along each axis — all slices where the label is visible enough, plus the mid-slice. One pass over the label map
 * counts every label's voxels per slice on all three axes.
 */
export function sliceTasks(name: string, image: Volume, labels: LabelVolume, options: SliceTaskOptions = {}): SliceTask[] {
  const { exclude = new Set<number>(), minFraction = 0.002, minSlices = 2, axes = [0, 1, 2] } = options;
  const [nx, ny, nz] = labels.size;
  const counts = new Map<number, [Uint32Array, Uint32Array, Uint32Array]>();
  const data = labels.data;
  let idx = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, idx++) {
        const l = data[idx]!;
        if (l === 0 || exclude.has(l)) continue;
        let c = counts.get(l);
        if (!c) counts.set(l, (c = [new Uint32Array(nx), new Uint32Array(ny), new Uint32Array(nz)]));
        c[0][i]!++;
        c[1][j]!++;
        c[2][k]!++;
      }
    }
  }
  const areas = [ny * nz, nx * nz, nx * ny];
  const tasks: SliceTask[] = [];
  for (const [label, perAxis] of [...counts].sort((a, b) => a[0] - b[0])) {
    for (const axis of axes) {
      if (labels.size[axis] === 1) continue;
      const c = perAxis[axis];
      const minCount = Math.max(4, minFraction * areas[axis]!);
      const slices: number[] = [];
      const mid = Math.floor(labels.size[axis] / 2);
      for (let s = 0; s < c.length; s++) if (c[s]! >= minCount || (s === mid && c[s]! > 0)) slices.push(s);
      if (slices.length >= minSlices) tasks.push({ name: `${name}:${label}:axis${axis}`, image, labels, label, axis, slices });
    }
  }
  return tasks;
}
