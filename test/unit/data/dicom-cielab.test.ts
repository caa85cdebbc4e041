import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rgbFromDicomCieLab } from '../../../core/data/dicom-cielab.js';

type Triple = [number, number, number];
const f32 = Math.fround;

/**
 * The CIELab dcmqi writes for an sRGB colour: ColorUtilities::getIntegerScaledCIELabPCSFromSRGB transcribed, with
 * its float casts and float arithmetic (it gives the values of the SEG files written in dicom-seg-read.test.ts).
 */
function dcmqiCieLab([r, g, b]: Triple): Triple {
  const linear = (c: number) => (c / 255 > 0.04045 ? ((c / 255 + 0.055) / 1.055) ** 2.4 : c / 255 / 12.92) * 100;
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const x = f32(lr * 0.4124 + lg * 0.3576 + lb * 0.1805);
  const y = f32(lr * 0.2126 + lg * 0.7152 + lb * 0.0722);
  const z = f32(lr * 0.0193 + lg * 0.1192 + lb * 0.9505);
  const f = (t: number) => (t > 0.008856 ? t ** (1 / 3) : 7.787 * t + 16 / 116);
  const [fx, fy, fz] = [f(x / 95.047), f(y / 100), f(z / 108.883)];
  const [l, a, bb] = [f32(116 * fy - 16), f32(500 * (fx - fy)), f32(200 * (fy - fz))];
  const ab = (v: number) => Math.round(f32(f32(f32(v + 128) * 65535) / 255));
  return [Math.round(f32(f32(l * 65535) / 100)), ab(a), ab(bb)];
}

const rgb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));

describe('rgbFromDicomCieLab', () => {
  it('gives back the colours of CIELab values read from a SEG dcmqi wrote, black and near-black ones included', () => {
    assert.deepEqual(rgbFromDicomCieLab([0, 32896, 32896]), [0, 0, 0]);
    assert.deepEqual(rgbFromDicomCieLab([334, 32865, 32775]), [1, 2, 3]);
    assert.deepEqual(rgbFromDicomCieLab([1324, 33877, 31259]), [10, 5, 20]);
    assert.deepEqual(rgbFromDicomCieLab([5739, 32896, 32895]), [25, 25, 25]);
    assert.deepEqual(rgbFromDicomCieLab([65535, 32897, 32893]), [255, 255, 255]);
    assert.deepEqual(rgbFromDicomCieLab([21170, 53250, 5175]), [0, 0, 255]);
  });

  // Checked for all 16,777,216 colours once (33 s): none differs, so the DICOM encoding loses nothing.
  it('undoes the CIELab dcmqi writes for any 8-bit colour exactly, even one 16-bit step off', () => {
    const nudges: Triple[] = [
      [0, 0, 0],
      [1, 0, 0],
      [-1, 0, 0],
      [0, 1, 0],
      [0, -1, 0],
      [0, 0, 1],
      [0, 0, -1],
    ];
    fc.assert(
      fc.property(rgb, (color) => {
        const lab = dcmqiCieLab(color);
        for (const d of nudges) assert.deepEqual(rgbFromDicomCieLab([lab[0] + d[0], lab[1] + d[1], lab[2] + d[2]]), color);
      }),
      { numRuns: 5000 },
    );
  });

  it('clips CIELab values outside the sRGB gamut to 0..255', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(65535), fc.nat(65535), fc.nat(65535)), (lab) => {
        assert.ok(rgbFromDicomCieLab(lab).every((c) => Number.isInteger(c) && c >= 0 && c <= 255));
      }),
    );
  });
});
