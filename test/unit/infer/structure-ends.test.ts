import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Slice } from '../../../core/data/extract-slice.js';
import { endsForExtent, virtualEnds } from '../../../core/infer/structure-ends.js';

const W = 60;
function disc(radius: number, value = 1): Slice<Uint8Array> {
  const data = new Uint8Array(W * W);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) if ((x - 30) ** 2 + (y - 30) ** 2 <= radius ** 2) data[y * W + x] = value;
  return { data, width: W, height: W };
}
const mm = { pixel: 1, slice: 1 };
const open = {};

describe('virtualEnds', () => {
  it('puts an open end half the labelled spacing past the outermost example, as a slice without the label', () => {
    const labels = new Map([
      [10, disc(10)],
      [20, disc(10)],
      [30, disc(10)],
    ]);
    // Looked for up to 5 slices past 10 and 30: the virtual slices lie 2·5 + 1 beyond.
    assert.deepEqual(
      virtualEnds([10, 20, 30], (s) => labels.get(s)!, 1, open, mm),
      [-1, 41],
    );
    assert.deepEqual(
      virtualEnds([10, 20, 30], (s) => labels.get(s)!, 1, { below: 0 }, mm),
      [41],
    );
    assert.deepEqual(
      virtualEnds([10, 20, 30], (s) => labels.get(s)!, 1, { below: 0, above: 40 }, mm),
      [],
    );
    assert.deepEqual(
      virtualEnds([10, 20, 30], (s) => labels.get(s)!, 1, open, mm, 0),
      [9, 31],
    );
  });

  it('ends a structure sooner where its area falls fast towards the end', () => {
    // Area 317 at slice 10, 29 at slice 20: falling ~29 a slice, it is gone about one slice past 20.
    const labels = new Map([
      [10, disc(10)],
      [20, disc(3)],
    ]);
    assert.deepEqual(
      virtualEnds([10, 20], (s) => labels.get(s)!, 1, { below: 0 }, mm),
      [23],
    );
    // Growing towards the end says nothing about where it stops: half the spacing. A labelled slice without it
    // (30) ends it halfway there, or sooner where its area falls.
    assert.deepEqual(
      virtualEnds([10, 20], (s) => labels.get(s)!, 1, { above: 30 }, mm),
      [-1, 23],
    );
    const even = new Map([
      [10, disc(8)],
      [20, disc(8)],
    ]);
    assert.deepEqual(
      virtualEnds([10, 20], (s) => even.get(s)!, 1, { below: 0, above: 30 }, mm),
      [],
    );
  });

  it('gives a single example a reach of its own width, and only counts its own label', () => {
    const labels = new Map([[40, disc(4, 7)]]);
    // Equivalent radius 4.1 px: reach 0.5 x 8.2 = 4 slices; with 2 mm slices of 1 mm pixels, 2.
    assert.deepEqual(
      virtualEnds([40], (s) => labels.get(s)!, 7, open, mm),
      [31, 49],
    );
    assert.deepEqual(
      virtualEnds([40], (s) => labels.get(s)!, 7, open, { pixel: 1, slice: 2 }),
      [35, 45],
    );
    assert.deepEqual(
      virtualEnds([], (s) => labels.get(s)!, 7, open, mm),
      [],
    );
  });
});

describe('endsForExtent', () => {
  it('places the virtual slices so that the label is looked for exactly up to the extent', () => {
    assert.deepEqual(endsForExtent([10, 20], [5, 30]), [-1, 41]);
    assert.deepEqual(endsForExtent([10, 20], [10, 20]), [9, 21]);
    // An end inside the examples needs no slice: the extent itself cuts there.
    assert.deepEqual(endsForExtent([10, 20], [12, 25]), [31]);
  });
});
