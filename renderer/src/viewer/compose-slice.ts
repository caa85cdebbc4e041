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
 * Pixels of (label value << 8 | grey) -> RGBA, as one 256x256 table: blending a label over grey costs one lookup
 * per pixel. Rebuilt only when the opacity changes.
 */
export class BlendTable {
  readonly rgba = new Uint32Array(256 * 256);
  private opacity = -1;

  update(opacity: number): this {
    if (opacity === this.opacity) return this;
    this.opacity = opacity;
    const a = Math.min(1, Math.max(0, opacity));
    for (let label = 0; label < 256; label++) {
      const [r, g, b] = label === 0 ? [0, 0, 0] : labelColor(label);
      const alpha = label === 0 ? 0 : a;
      for (let grey = 0; grey < 256; grey++) {
        const mix = (c: number) => Math.round(grey + (c - grey) * alpha);
        // ImageData is RGBA in memory: little-endian uint32 0xAABBGGRR.
        this.rgba[(label << 8) | grey] = (0xff << 24) | (mix(b) << 16) | (mix(g) << 8) | mix(r);
      }
    }
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
  const lut = table.rgba;
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
      out[o] = lut[(label << 8) | grey]!;
    }
  }
}
