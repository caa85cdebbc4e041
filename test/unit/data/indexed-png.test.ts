import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { labelColor } from '../../../core/contract/label-palette.js';
import { decodeIndexedPng } from '../../../core/data/decode-indexed-png.js';
import { encodeIndexedPng } from '../../../core/data/encode-indexed-png.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import { writePngMask } from '../../../core/data/write-png-mask.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-indexed-png-'));

/** The RGB triples of a PNG's PLTE chunk. */
function paletteOf(bytes: Uint8Array): number[][] {
  const at = Buffer.from(bytes).indexOf('PLTE');
  assert.ok(at > 0, 'the PNG has a palette');
  const length = Buffer.from(bytes).readUInt32BE(at - 4);
  return Array.from({ length: length / 3 }, (_, i) => [...bytes.subarray(at + 4 + 3 * i, at + 7 + 3 * i)]);
}

describe('indexed PNG label maps', () => {
  const width = 30;
  const height = 20;
  const labels = new Uint8Array(width * height).map((_, i) => (i % 7 === 0 ? 3 : i % 5 === 0 ? 1 : 0));

  it('a map with several labels is an indexed PNG of its values and colours, read back as labels', async () => {
    const file = path.join(tmp, 'two.png');
    await writePngMask(file, labels, width, height, { labels: [{ value: 3, color: [1, 2, 3] }] });
    const bytes = fs.readFileSync(file);
    assert.deepEqual(paletteOf(bytes), [[0, 0, 0], labelColor(1), labelColor(2), [1, 2, 3]], 'given colour for 3, defaults for the rest');
    const back = await readLabelVolume(file);
    assert.deepEqual(back.size, [width, height, 1]);
    assert.deepEqual(back.data, labels);
    // libpng (inside itk-wasm) reads the same file as the palette's colours: a valid PNG to other readers too.
    const seen = await readVolume(file);
    const grey = ([r, g, b]: number[]) => 0.299 * r! + 0.587 * g! + 0.114 * b!;
    assert.ok(Math.abs(seen.data[0]! - grey([1, 2, 3])) < 1e-3 && Math.abs(seen.data[5]! - grey(labelColor(1))) < 1e-3);
  });

  it('a single-label map stays a 0/255 grey mask unless its set holds several labels', async () => {
    const single = labels.map((v) => (v === 3 ? 3 : 0));
    const mask = path.join(tmp, 'single.png');
    await writePngMask(mask, single, width, height, { labels: [{ value: 3 }] });
    assert.equal(decodeIndexedPng(fs.readFileSync(mask)), undefined, 'not indexed');
    assert.deepEqual(
      Array.from((await readVolume(mask)).data),
      Array.from(single, (v) => (v ? 255 : 0)),
    );
    // One image of a two-label set showing one of them (or none) keeps the value, not 255.
    for (const data of [single, new Uint8Array(width * height)]) {
      const file = path.join(tmp, 'of-set.png');
      await writePngMask(file, data, width, height, { labels: [{ value: 1 }, { value: 3 }] });
      assert.deepEqual(paletteOf(fs.readFileSync(file)).length, 4);
      assert.deepEqual((await readLabelVolume(file)).data, data);
    }
  });

  it('decodes every row filter and bit depths below 8, as other writers use them', () => {
    // 4-bit indices, 5 pixels a row (3 bytes, the last half used); rows filtered 0..4 over hand-made bytes.
    const rows = [
      [0x12, 0x34, 0x50],
      [0x21, 0x43, 0x00],
      [0x00, 0x11, 0x20],
      [0x31, 0x02, 0x10],
      [0x45, 0x10, 0x30],
    ];
    const raw = [...rows.entries()].flatMap(([filter, row]) => [filter, ...row]);
    const png = encodeIndexedPng(new Uint8Array(15), 15, 1, [[0, 0, 0]]);
    // Swap in our own IHDR fields and IDAT: width 5, height 5, bit depth 4; CRCs are not checked on reading.
    const header = Buffer.from(png.subarray(0, 33));
    header.writeUInt32BE(5, 16);
    header.writeUInt32BE(5, 20);
    header[24] = 4;
    const data = zlib.deflateSync(Uint8Array.from(raw));
    const idat = Buffer.alloc(12 + data.length);
    idat.writeUInt32BE(data.length, 0);
    idat.write('IDAT', 4, 'ascii');
    data.copy(idat, 8);
    const decoded = decodeIndexedPng(Buffer.concat([header, idat, Buffer.from(png.subarray(png.length - 12))]))!;
    // Unfiltered by hand: Sub adds the byte to the left, Up the byte above, Average their mean, Paeth its predictor.
    const expected = [
      [0x12, 0x34, 0x50],
      [0x21, 0x64, 0x64],
      [0x21, 0x75, 0x84],
      [0x31 + 0x10, 0x02 + ((0x41 + 0x75) >> 1), 0x10 + ((0x5c + 0x84) >> 1)],
      [0x45 + 0x41, 0x10 + 0x86, 0x30 + 0x96],
    ];
    const nibbles = expected.flatMap((row) => row.flatMap((b) => [b >> 4, b & 15]).slice(0, 5));
    assert.deepEqual([...decoded.indices], nibbles);
    assert.equal(decoded.width, 5);
  });

  it('says what is wrong with a cut-short or interlaced PNG, and refuses a value without a colour', () => {
    const whole = encodeIndexedPng(labels, width, height, [
      [0, 0, 0],
      [1, 1, 1],
      [2, 2, 2],
      [3, 3, 3],
    ]);
    assert.throws(() => decodeIndexedPng(whole.subarray(0, 60)), /ends before its IEND chunk \(cut short\?\)/);
    assert.throws(() => decodeIndexedPng(whole.subarray(0, 70)), /PNG chunk IDAT runs past the end of the file/);
    const interlaced = Buffer.from(whole);
    interlaced[28] = 1;
    assert.throws(() => decodeIndexedPng(interlaced), /interlaced indexed PNG is not supported/);
    assert.throws(() => encodeIndexedPng(labels, width, height, [[0, 0, 0]]), /pixel value 3 has no colour in a palette of 1/);
  });
});
