import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Slice } from '../../../core/data/extract-slice.js';
import { cropRoi, networkWindows, pasteRoi, ROI_CONTEXT, supportRoi, taskRois } from '../../../core/infer/support-roi.js';

/** A width x height label slice with `value` on the rectangle x0..x1, y0..y1 (inclusive). */
function box(width: number, height: number, value: number, x0: number, y0: number, x1: number, y1: number): Slice<Uint8Array> {
  const data = new Uint8Array(width * height);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * width + x] = value;
  return { data, width, height };
}

describe('supportRoi', () => {
  it('centres a square window on the union of the label over the support, with context around it', () => {
    // Label 3 spans x 40..59, y 50..69 over the two slices (20 px): the window is 20·ROI_CONTEXT, centred at (50, 60).
    const roi = supportRoi([box(200, 150, 3, 40, 50, 49, 59), box(200, 150, 3, 50, 60, 59, 69), box(200, 150, 7, 0, 0, 199, 149)], 3, 8)!;
    assert.equal(roi.size, Math.ceil(20 * ROI_CONTEXT));
    assert.equal(roi.x0 + roi.size / 2, 50);
    assert.equal(roi.y0 + roi.size / 2, 60);
  });

  it('keeps at least minSize, shifts a window inside the slice, and never grows beyond the slice', () => {
    const small = supportRoi([box(100, 80, 1, 0, 0, 1, 1)], 1, 32)!;
    assert.deepEqual(small, { x0: 0, y0: 0, size: 32 });
    const edge = supportRoi([box(100, 80, 1, 95, 75, 99, 79)], 1, 32)!;
    assert.deepEqual(edge, { x0: 68, y0: 48, size: 32 });
    // A label over the whole slice: the window is the slice's larger side, centred on the smaller one (padded).
    const whole = supportRoi([box(100, 80, 1, 0, 0, 99, 79)], 1, 32)!;
    assert.deepEqual(whole, { x0: 0, y0: -10, size: 100 });
  });

  it('is undefined when no support label shows the value, and refuses slices of different sizes', () => {
    assert.equal(supportRoi([box(10, 10, 1, 0, 0, 2, 2)], 2, 4), undefined);
    assert.throws(() => supportRoi([box(10, 10, 1, 0, 0, 2, 2), box(12, 10, 1, 0, 0, 2, 2)], 1, 4), /10x10 and 12x10/);
  });
});

describe('cropRoi and pasteRoi', () => {
  it('crop a window (padding past the edges) and paste it back in place, zero elsewhere', () => {
    const slice: Slice = { data: Float32Array.from({ length: 5 * 4 }, (_, i) => i + 1), width: 5, height: 4 };
    const roi = { x0: 3, y0: -1, size: 3 };
    assert.deepEqual([...cropRoi(slice, roi, -1)], [-1, -1, -1, 4, 5, -1, 9, 10, -1]);
    const back = pasteRoi(cropRoi(slice, roi), roi, 5, 4);
    assert.deepEqual([...back], [0, 0, 0, 4, 5, 0, 0, 0, 9, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('crops any window, inside, across or wholly outside the slice, pixel for pixel as its definition says', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -15, max: 15 }),
        fc.integer({ min: -15, max: 15 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: -3, max: 3 }),
        (width, height, x0, y0, size, fill) => {
          const slice: Slice<Uint8Array> = { data: Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 251), width, height };
          const expected = Array.from({ length: size * size }, (_, i) => {
            const [x, y] = [x0 + (i % size), y0 + Math.floor(i / size)];
            return x >= 0 && x < width && y >= 0 && y < height ? slice.data[y * width + x]! : fill & 0xff;
          });
          assert.deepEqual([...cropRoi(slice, { x0, y0, size }, fill)], expected);
        },
      ),
    );
  });
});

describe('taskRois', () => {
  /** Two labelled rectangles on one slice: left at x a0..a1, right at x b0..b1, both at y 40..59. */
  const pair = (a0: number, a1: number, b0: number, b1: number) => {
    const slice = box(200, 120, 2, a0, 40, a1, 59);
    for (let y = 40; y <= 59; y++) for (let x = b0; x <= b1; x++) slice.data[y * 200 + x] = 2;
    return slice;
  };

  it('gives a bilateral label one window per side, each as supportRoi gives it for that side alone', () => {
    const rois = taskRois([pair(20, 39, 150, 169)], 2, 16);
    assert.deepEqual(rois, [
      supportRoi([box(200, 120, 2, 20, 40, 39, 59)], 2, 16),
      supportRoi([box(200, 120, 2, 150, 40, 169, 59)], 2, 16),
    ]);
  });

  it('keeps one window when the gap is narrower than a part, or when the label is in one piece', () => {
    assert.deepEqual(taskRois([pair(20, 59, 80, 119)], 2, 16), [supportRoi([pair(20, 59, 80, 119)], 2, 16)]);
    assert.deepEqual(taskRois([box(200, 120, 2, 20, 40, 119, 59)], 2, 16), [supportRoi([box(200, 120, 2, 20, 40, 119, 59)], 2, 16)]);
    assert.deepEqual(taskRois([box(200, 120, 1, 20, 40, 119, 59)], 2, 16), []);
  });

  it('are the windows the network runs in; the whole slice (undefined) when windows are off or nothing shows', () => {
    assert.equal(networkWindows([pair(20, 39, 150, 169)], 2, 16, true).length, 2);
    assert.deepEqual(networkWindows([pair(20, 39, 150, 169)], 2, 16, false), [undefined]);
    assert.deepEqual(networkWindows([pair(20, 39, 150, 169)], 3, 16, true), [undefined]);
  });

  it('splits along y too, and every window holds all of its part', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 40 }), (top, tall, extra) => {
        // Two parts stacked vertically, the gap wider than the taller part.
        const gapEnd = top + tall + tall + extra;
        const slice = box(60, 200, 5, 10, top, 29, top + tall - 1);
        for (let y = gapEnd; y < Math.min(200, gapEnd + tall); y++) for (let x = 10; x <= 29; x++) slice.data[y * 60 + x] = 5;
        const rois = taskRois([slice], 5, 8);
        if (gapEnd + tall > 200) return;
        assert.equal(rois.length, 2);
        for (const [roi, [y0, y1]] of rois.map((r, i) => [r, i === 0 ? [top, top + tall - 1] : [gapEnd, gapEnd + tall - 1]] as const)) {
          assert.ok(roi.y0 <= y0 && roi.y0 + roi.size > y1, `rows ${y0}..${y1} in ${JSON.stringify(roi)}`);
          assert.ok(roi.x0 <= 10 && roi.x0 + roi.size > 29);
        }
      }),
    );
  });
});
