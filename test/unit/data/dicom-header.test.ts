import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { NeedsWholeFile, parseDicomHeader } from '../../../core/data/dicom-header.js';
import { IO, SERIES_DIR } from './io-fixtures.js';

const brain = fs.readFileSync(path.join(SERIES_DIR, 'brain_002.dcm'));

/** A Part 10 file: preamble, "DICM", a meta group naming the transfer syntax, then the data set bytes. */
function part10(transferSyntax: string, dataset: Uint8Array): Buffer {
  const uid = Buffer.from(transferSyntax.length % 2 ? `${transferSyntax}\0` : transferSyntax, 'latin1');
  const element = Buffer.alloc(8);
  element.writeUInt16LE(0x0002, 0);
  element.writeUInt16LE(0x0010, 2);
  element.write('UI', 4, 'latin1');
  element.writeUInt16LE(uid.length, 6);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), element, uid, dataset]);
}

/** The data set of brain_002.dcm, after its meta group (whose length its first element gives). */
function brainDataset(): Buffer {
  const metaLength = brain.readUInt32LE(132 + 8);
  return brain.subarray(132 + 12 + metaLength);
}

describe('parseDicomHeader', () => {
  it('reads the attributes that group and order a series (explicit VR little endian)', () => {
    const h = parseDicomHeader(brain);
    assert.equal(h.transferSyntax, '1.2.840.10008.1.2.1');
    assert.equal(h.seriesInstanceUid, '0.0.0.0.3.8811.2.20010413115754.12432');
    assert.equal(h.sopInstanceUid, '0.0.0.0.1.8811.2.2.20010413115754.12432');
    assert.equal(h.modality, 'MR');
    assert.equal(h.seriesDescription, 'FSE PD AXIAL OBL');
    assert.equal(h.instanceNumber, 2);
    assert.deepEqual([h.rows, h.columns], [256, 256]);
    assert.deepEqual(h.imagePosition, [-110.5, -79.3063, -65.7575]);
    assert.deepEqual(h.imageOrientation, [1, 0, 0, 0, 0.99096, 0.134158]);
    assert.equal(h.hasPixelData, true);
  });

  it('walks implicit VR files and encapsulated (JPEG 2000) pixel data', () => {
    const ankle = parseDicomHeader(fs.readFileSync(path.join(IO, 'dicom_single', 'CT-MONO2-16-ankle.dcm')));
    assert.equal(ankle.transferSyntax, '1.2.840.10008.1.2');
    assert.deepEqual([ankle.modality, ankle.rows, ankle.columns, ankle.hasPixelData], ['CT', 512, 512, true]);
    const j2k = parseDicomHeader(fs.readFileSync(path.join(IO, 'dicom_single', 'MELANIX.dcm')));
    assert.equal(j2k.transferSyntax, '1.2.840.10008.1.2.4.91');
    assert.equal(j2k.hasPixelData, true);
  });

  it('inflates a deflated data set', () => {
    const deflated = part10('1.2.840.10008.1.2.1.99', zlib.deflateRawSync(brainDataset()));
    const h = parseDicomHeader(deflated);
    assert.equal(h.seriesInstanceUid, '0.0.0.0.3.8811.2.20010413115754.12432');
    assert.equal(h.hasPixelData, true);
  });

  it('reads explicit VR big endian numbers in big endian', () => {
    const be = Buffer.alloc(24);
    // (0028,0010) US 2 = 300 and (0028,0011) US 2 = 2, then (7FE0,0010) OW with 4 bytes of pixels.
    be.writeUInt16BE(0x0028, 0);
    be.writeUInt16BE(0x0010, 2);
    be.write('US', 4, 'latin1');
    be.writeUInt16BE(2, 6);
    be.writeUInt16BE(300, 8);
    be.writeUInt16BE(0x0028, 10);
    be.writeUInt16BE(0x0011, 12);
    be.write('US', 14, 'latin1');
    be.writeUInt16BE(2, 16);
    be.writeUInt16BE(2, 18);
    const pixels = Buffer.alloc(16);
    pixels.writeUInt16BE(0x7fe0, 0);
    pixels.writeUInt16BE(0x0010, 2);
    pixels.write('OW', 4, 'latin1');
    pixels.writeUInt32BE(4, 8);
    const h = parseDicomHeader(part10('1.2.840.10008.1.2.2', Buffer.concat([be.subarray(0, 20), pixels])));
    assert.deepEqual([h.rows, h.columns, h.hasPixelData], [300, 2, true]);
  });

  it('settles a file from its first bytes when the pixel data runs to the end, else asks for the whole file', () => {
    const head = brain.subarray(0, 4096);
    const h = parseDicomHeader(head, brain.length);
    assert.equal(h.seriesInstanceUid, '0.0.0.0.3.8811.2.20010413115754.12432');
    assert.equal(h.hasPixelData, true);
    assert.throws(() => parseDicomHeader(head, brain.length + 10), NeedsWholeFile, 'something follows the pixel data');
    assert.throws(() => parseDicomHeader(head, brain.length - 10), /truncated: element \(7FE0,0010\) needs 131072 bytes/);
    const j2k = fs.readFileSync(path.join(IO, 'dicom_single', 'MELANIX.dcm'));
    assert.throws(() => parseDicomHeader(j2k.subarray(0, 4096), j2k.length), NeedsWholeFile, 'fragments must be walked');
  });

  it("reads a SEG's segment numbers and CIELab colours, in sequences and items of defined or undefined length", () => {
    const UNDEFINED = 0xffffffff;
    /** An element, explicit VR little endian (4-byte length for SQ) or implicit VR (no VR, 4-byte length). */
    const element = (explicit: boolean, tag: number, vr: string, value: Buffer, length = value.length) => {
      const head = Buffer.alloc(explicit && vr === 'SQ' ? 12 : 8);
      head.writeUInt16LE(tag >>> 16, 0);
      head.writeUInt16LE(tag & 0xffff, 2);
      if (explicit) head.write(vr, 4, 'latin1');
      if (!explicit) head.writeUInt32LE(length, 4);
      else if (vr === 'SQ') head.writeUInt32LE(length, 8);
      else head.writeUInt16LE(length, 6);
      return Buffer.concat([head, value]);
    };
    const delimiter = (tag: number) => element(false, tag, '', Buffer.alloc(0));
    const us = (...values: number[]) => Buffer.from(new Uint16Array(values).buffer);
    /** A sequence of items, each of defined length or each ended by delimiters. */
    const sequence = (explicit: boolean, defined: boolean, tag: number, items: Buffer[]) => {
      const body = Buffer.concat(
        items.map((i) =>
          defined
            ? element(false, 0xfffee000, '', i)
            : Buffer.concat([element(false, 0xfffee000, '', i, UNDEFINED), delimiter(0xfffee00d)]),
        ),
      );
      if (defined) return element(explicit, tag, 'SQ', body);
      return Buffer.concat([element(explicit, tag, 'SQ', body, UNDEFINED), delimiter(0xfffee0dd)]);
    };
    const segment = (explicit: boolean, defined: boolean, number: number, lab: number[]) =>
      Buffer.concat([
        // A code sequence inside the item: its items say nothing of the segment.
        sequence(explicit, defined, 0x00620003, [element(explicit, 0x00080100, 'SH', Buffer.from('T '))]),
        element(explicit, 0x00620004, 'US', us(number)),
        element(explicit, 0x0062000d, 'US', us(...lab)),
      ]);
    for (const [syntax, explicit] of [
      ['1.2.840.10008.1.2.1', true],
      ['1.2.840.10008.1.2', false],
    ] as const) {
      for (const defined of [true, false]) {
        const items = [segment(explicit, defined, 1, [0, 32896, 32896]), segment(explicit, defined, 3, [65535, 1, 2])];
        const h = parseDicomHeader(part10(syntax, sequence(explicit, defined, 0x00620002, items)));
        assert.deepEqual(
          h.segmentCieLab,
          new Map([
            [1, [0, 32896, 32896]],
            [3, [65535, 1, 2]],
          ]),
          `${syntax}, ${defined ? 'defined' : 'undefined'} lengths`,
        );
      }
    }
    assert.equal(parseDicomHeader(brain).segmentCieLab.size, 0);
  });

  it('finds truncation, trailing zeros, broken elements and non-DICOM bytes', () => {
    assert.throws(
      () => parseDicomHeader(brain.subarray(0, brain.length - 100)),
      /^Error: truncated: element \(7FE0,0010\) needs 131072 bytes but the file ends 130972 bytes later$/,
    );
    assert.throws(() => parseDicomHeader(brain.subarray(0, 700)), /truncated/);
    assert.throws(() => parseDicomHeader(Buffer.concat([brain, Buffer.alloc(1000)])), /1000 bytes of zeros after the end of the data set/);
    const garbled = Buffer.from(brain);
    garbled.write('\x01\x02', 132 + 12 + brain.readUInt32LE(140) + 4, 'latin1'); // first data set element loses its VR
    assert.throws(() => parseDicomHeader(garbled), /has no valid value representation/);
    assert.throws(() => parseDicomHeader(Buffer.from('just some text, long enough to look at')), /not a DICOM file/);
  });
});
