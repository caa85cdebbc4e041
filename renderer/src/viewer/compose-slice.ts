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
  /** Opacity in 1/256ths. */
  alpha = 128;

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
}

/**
 * Writes the slice as the view shows it (transposed and flipped per the geometry, windowed to grey, labels blended)
 * into `out`, a width x height RGBA image viewed as uint32.
 */
export function composeSlice(
  out: Uint32Array,
  g: ViewGeometry,
  slice: Plane<Float32Array>,
  window: WindowLevel,
  labels: Plane<Uint8Array> | null,
  style: OverlayStyle,
  table: BlendTable,
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
  const outline = style.outline;
  for (let v = 0; v < H; v++) {
    let s = start + v * stepV;
    let o = v * W;
    for (let u = 0; u < W; u++, s += stepU, o++) {
      let grey = (src[s]! - lo) * scale;
      grey = grey < 0 ? 0 : grey > 255 ? 255 : grey | 0;
      let label = lab ? lab[s]! : 0;
      if (label !== 0 && outline) {
        // Interior pixels (all four neighbours carry the same label) are left unpainted.
        const inside =
          u > 0 && u < W - 1 && v > 0 && v < H - 1 &&
          lab![s - stepU] === label && lab![s + stepU] === label && lab![s - stepV] === label && lab![s + stepV] === label;
        if (inside) label = 0;
      }
      if (label === 0) {
        out[o] = greyLut[grey]!;
      } else {
        const c = label * 3;
        const r = grey + (((colors[c]! - grey) * alpha) >> 8);
        const gr = grey + (((colors[c + 1]! - grey) * alpha) >> 8);
        const b = grey + (((colors[c + 2]! - grey) * alpha) >> 8);
        out[o] = (0xff000000 | (b << 16) | (gr << 8) | r) >>> 0;
      }
    }
  }
}
