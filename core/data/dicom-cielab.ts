/**
 * A DICOM Recommended Display CIELab Value (PS3.3 C.10.7.1.1: L* 0..100 and a*, b* -128..127 scaled to 0..65535)
 * as the 8-bit sRGB colour it encodes. Pure: no Node, no DOM.
 *
 * We convert it ourselves because dcmqi's own conversion (ColorUtilities::getCIEXYZFromLAB) computes `16 / 116`
 * in integer arithmetic, i.e. 0, in the linear branch of the CIELab inverse, so a colour with X, Y or Z under
 * 0.8856 % of white's came back wrong: near-black as dark grey ([0, 0, 0] as [36, 36, 36]), dark saturated ones
 * off too ([80, 0, 0] as [75, 3, 39]). Its writer's sRGB → CIELab is right, and this is its exact inverse (same
 * D65 white, sRGB matrix and CIE constants), so every 8-bit colour writeDicomSeg writes reads back unchanged.
 */

// The D65 white point (2° observer), X and Z relative to Y = 100.
const WHITE = [95.047, 100, 108.883] as const;
const EPSILON = 0.008856;
const KAPPA = 7.787;

// The inverse of the IEC 61966-2-1 linear sRGB → XYZ matrix (0.4124 0.3576 0.1805 / 0.2126 0.7152 0.0722 /
// 0.0193 0.1192 0.9505), to 12 digits: not the standard's rounded 3.2406 ..., which would not undo it exactly.
const XYZ_TO_RGB = [
  [3.24062547732, -1.53720797221, -0.498628598698],
  [-0.968930714729, 1.87575606089, 0.041517523843],
  [0.0557101204455, -0.204021050598, 1.05699594225],
] as const;

const unscale = (n: number, range: number, offset: number) => (n / 65535) * range - offset;
const fromLabF = (f: number) => (f ** 3 > EPSILON ? f ** 3 : (f - 16 / 116) / KAPPA);
const toSrgb8 = (linear: number) => {
  const c = linear > 0.0031308 ? 1.055 * linear ** (1 / 2.4) - 0.055 : 12.92 * linear;
  return Math.round(Math.min(1, Math.max(0, c)) * 255);
};

/** The sRGB colour, each channel 0..255, of a scaled CIELab triple (each 0..65535); out-of-gamut values are clipped. */
export function rgbFromDicomCieLab([sl, sa, sb]: readonly [number, number, number]): [number, number, number] {
  const l = unscale(sl, 100, 0);
  const fy = (l + 16) / 116;
  const fx = fy + unscale(sa, 255, 128) / 500;
  const fz = fy - unscale(sb, 255, 128) / 200;
  const xyz = [fx, fy, fz].map((f, i) => (fromLabF(f) * WHITE[i]!) / 100);
  const [r, g, b] = XYZ_TO_RGB.map((row) => toSrgb8(row[0] * xyz[0]! + row[1] * xyz[1]! + row[2] * xyz[2]!));
  return [r!, g!, b!];
}
