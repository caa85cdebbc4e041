import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readSegmentationNode } from '@itk-wasm/dicom';
import { ANATOMY } from '../../../core/contract/terminology.js';
import { writeDicomSeg } from '../../../core/data/write-dicom-seg.js';
import { seriesWithTwoLabels } from './dicom-seg-fixture.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seg-codes-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Coded = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
type Attributes = { labelID: number; SegmentedPropertyCategoryCodeSequence: Coded; SegmentedPropertyTypeCodeSequence: Coded };

describe('writeDicomSeg with coded anatomy', () => {
  it("writes each segment's category and type, and SNOMED CT Tissue where none was chosen", async (t) => {
    const { files, labels } = await seriesWithTwoLabels();
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
