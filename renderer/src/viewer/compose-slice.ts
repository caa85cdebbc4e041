import type { SegmentDef, VoxelArray } from '../../../core/contract/index.js';
import { labelColor } from './label-colors.js';
import { sliceStrides, type ViewGeometry } from './orientation.js';

export interface WindowLevel {
  width: number;
  level: number;
}

export interface OverlayStyle {
  visible: boolean;
  /** 0..1 */
  opacity: number;
  /** Draw only each label's boundary, leaving the anatomy under it visible. */
  outline: boolean;
}

interface Plane<T> {
  width: number;
  height: number;
  data: T;
}

/**
 * Colours as packed RGBA (ImageData's byte order read as a little-endian uint32: 0xAABBGGRR): a grey ramp for
 * unlabelled pixels, and each label's colour with the opacity as an integer weight for blending.
 */
export class BlendTable {
  readonly grey = new Uint32Array(256);
  /** r, g, b of label value v at [3v, 3v + 2]. */
  readonly colors = new Int32Array(256 * 3);
  /** 1 for label values not drawn. */
  readonly hidden = new Uint8Array(256);
  /** Opacity in 1/256ths. */
  alpha = 128;
  private segmentsKey = '';

  constructor() {
    for (let v = 0; v < 256; v++) {
      this.grey[v] = ((0xff << 24) | (v << 16) | (v << 8) | v) >>> 0;
      if (v > 0) this.colors.set(labelColor(v), v * 3);
    }
  }

  update(opacity: number): this {
    this.alpha = Math.round(Math.min(1, Math.max(0, opacity)) * 256);
    return this;
  }

  /** The project's own colours and visibility; values without a segment keep the default colour. */
  setSegments(segments: readonly SegmentDef[]): this {
    const key = JSON.stringify(segments);
    if (key === this.segmentsKey) return this;
    this.segmentsKey = key;
    this.hidden.fill(0);
    for (let v = 1; v < 256; v++) this.colors.set(labelColor(v), v * 3);
    for (const s of segments) {
      this.colors.set(s.color, s.value * 3);
      this.hidden[s.value] = s.visible ? 0 : 1;
    }
    return this;
  }
}

/**
 * Which pixels of the view show predicted (not user-labelled) voxels: the slices of the project axis are whole
 * rows or columns of the view, or the whole view when it is cut along that axis.
 */
export interface PredictedPixels {
  all: boolean;
  /** Per view column u / row v: 1 when it lies on a predicted slice. */
  columns: Uint8Array | null;
  rows: Uint8Array | null;
}

export interface ExtraLayers {
  predicted?: PredictedPixels | null;
  /** Ensemble spread per pixel (engine layout, like the slice), drawn as a heat tint. */
  uncertainty?: Float32Array | null;
}

/** The uncertainty tint (amber) and the spread at which it is strongest (0.5 is the largest possible). */
const HEAT = [255, 170, 0] as const;
const HEAT_FULL = 0.25;

/**
 * Writes the slice as the view shows it (transposed and flipped per the geometry, windowed to grey, labels blended)
 * into `out`, a width x height RGBA image viewed as uint32.
 */
export function composeSlice(
  out: Uint32Array,
  g: ViewGeometry,
  slice: Plane<VoxelArray>,
  window: WindowLevel,
  labels: Plane<Uint8Array> | null,
  style: OverlayStyle,
  table: BlendTable,
  layers: ExtraLayers = {},
): void {
  const { start, stepU, stepV } = sliceStrides(g, slice.width);
  const W = g.width;
  const H = g.height;
  const lo = window.level - window.width / 2;
  // 256 equal bins over [lo, lo + width): the window's top maps to 255 exactly, its centre to 128.
  const scale = 256 / Math.max(window.width, 1e-12);
  const src = slice.data;
  const greyLut = table.grey;
  const colors = table.colors;
  const alpha = table.alpha;
  const lab = labels && style.visible ? labels.data : null;
  const hidden = table.hidden;
  const outline = style.outline;
  const predicted = lab ? (layers.predicted ?? null) : null;
  const heat = layers.uncertainty ?? null;
  // Predicted voxels: outlined at full opacity, their inside faint and hatched, so they never pass for the user's.
  const faint = alpha >> 2;
  for (let v = 0; v < H; v++) {
    let s = start + v * stepV;
    let o = v * W;
    const rowPredicted = predicted !== null && (predicted.all || (predicted.rows !== null && predicted.rows[v] === 1));
    for (let u = 0; u < W; u++, s += stepU, o++) {
      let grey = (src[s]! - lo) * scale;
      grey = grey < 0 ? 0 : grey > 255 ? 255 : grey | 0;
      let label = lab ? lab[s]! : 0;
      if (hidden[label]) label = 0;
      let weight = alpha;
      if (label !== 0) {
        const isPredicted = rowPredicted || (predicted !== null && predicted.columns !== null && predicted.columns[u] === 1);
        if (outline || isPredicted) {
          // Interior pixels (all four neighbours carry the same label) are left unpainted, or faint.
          const inside =
            u > 0 &&
            u < W - 1 &&
            v > 0 &&
            v < H - 1 &&
            lab![s - stepU] === label &&
            lab![s + stepU] === label &&
            lab![s - stepV] === label &&
            lab![s + stepV] === label;
          if (inside) {
            if (outline) label = 0;
            else if (((u + v) & 3) !== 0) weight = faint;
          }
        }
      }
      let r = grey;
      let gr = grey;
      let b = grey;
      if (label !== 0) {
        const c = label * 3;
        r = grey + (((colors[c]! - grey) * weight) >> 8);
        gr = grey + (((colors[c + 1]! - grey) * weight) >> 8);
        b = grey + (((colors[c + 2]! - grey) * weight) >> 8);
      } else if (heat === null) {
        out[o] = greyLut[grey]!;
        continue;
      }
      if (heat !== null) {
        // At most 60% opaque: the labels under the tint stay visible.
        const a = heat[s]! >= HEAT_FULL ? 154 : ((heat[s]! / HEAT_FULL) * 154) | 0;
        r += ((HEAT[0] - r) * a) >> 8;
        gr += ((HEAT[1] - gr) * a) >> 8;
        b += ((HEAT[2] - b) * a) >> 8;
      }
      out[o] = (0xff000000 | (b << 16) | (gr << 8) | r) >>> 0;
    }
  }
}
