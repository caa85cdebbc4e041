import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readSegmentationNode } from '@itk-wasm/dicom';
import { ANATOMY } from '../../../core/contract/terminology.js';
import { readDicomSeries } from '../../../core/data/read-dicom-series.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { writeDicomSeg } from '../../../core/data/write-dicom-seg.js';
import { SERIES_DIR } from './io-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seg-codes-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Coded = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
type Attributes = { labelID: number; SegmentedPropertyCategoryCodeSequence: Coded; SegmentedPropertyTypeCodeSequence: Coded };

describe('writeDicomSeg with coded anatomy', () => {
  it("writes each segment's category and type, and SNOMED CT Tissue where none was chosen", async (t) => {
    const files = fs
      .readdirSync(SERIES_DIR)
      .sort()
      .map((f) => path.join(SERIES_DIR, f));
    const series = await readDicomSeries(SERIES_DIR);
    const labels: LabelVolume = { ...series, data: new Uint8Array(series.data.length) };
    for (let i = 0; i < labels.data.length; i++) labels.data[i] = series.data[i]! > 600 ? 1 : series.data[i]! > 400 ? 2 : 0;
    const brain = ANATOMY.find((a) => a.type.meaning === 'Brain')!;
    const file = path.join(tmp, 'coded.dcm');
    // dcmqi reports every slice on stdout and warnings on stderr.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    await writeDicomSeg(file, labels, files, [{ value: 1, name: 'Brain', color: [250, 250, 225], terminology: brain }]);
    const { metaInfo } = await readSegmentationNode(file);
    const segments = (metaInfo as { segmentAttributes: Attributes[][] }).segmentAttributes.flat();
    const codes = segments.map((s) => [s.labelID, s.SegmentedPropertyCategoryCodeSequence, s.SegmentedPropertyTypeCodeSequence]);
    assert.deepEqual(codes, [
      [
        1,
        { CodeValue: '123037004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Anatomical Structure' },
        { CodeValue: '12738006', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Brain' },
      ],
      [
        2,
        { CodeValue: '85756007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Tissue' },
        { CodeValue: '85756007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Tissue' },
      ],
    ]);
  });
});
