/**
 * Writes a study of pseudo-subjects of Colin27 (core/eval/pseudo-subject.ts) for timing `universeg segment` with support
 * volumes as a user runs it: --supports labelled subjects (image and label map of 4 AAL regions) and --queries
 * unlabelled ones, 181×217×181 each. From the repository root:
 *   node --import tsx test/tools/make-pseudo-study.ts --out /tmp/study [--regions 30,45,60,85] [--supports 2] [--queries 3]
 *   node bin/universeg.js segment --support-images /tmp/study/support-images --support-labels /tmp/study/support-labels \
 *        --input /tmp/study/input --out /tmp/study/out --report /tmp/study/out/report.json
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeLabelVolume } from '../../core/data/write-label-volume.js';
import { writeFloatVolume } from '../../core/infer/write-float-volume.js';
import { colin27Regions } from './colin27-regions.js';
import { pseudoSubject } from '../../core/eval/pseudo-subject.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    regions: { type: 'string', default: '30,45,60,85' },
    supports: { type: 'string', default: '2' },
    queries: { type: 'string', default: '3' },
    data: { type: 'string', default: '../shared/data/train/colin27' },
  },
});
if (!values.out) throw new Error('--out DIR is required');
const regions = values.regions!.split(',').map(Number);
const supports = Number(values.supports);
const queries = Number(values.queries);
const { image, labels } = await colin27Regions(values.data!, regions);

const folders = ['support-images', 'support-labels', 'input', 'truth'].map((f) => path.join(values.out!, f));
for (const f of folders) await fs.mkdir(f, { recursive: true });
const [supportImages, supportLabels, input, truth] = folders as [string, string, string, string];
for (let i = 0; i < supports + queries; i++) {
  const subject = pseudoSubject(image, labels, i + 1);
  const name = `subject-${i + 1}.nii.gz`;
  const isSupport = i < supports;
  await writeFloatVolume(path.join(isSupport ? supportImages : input, name), { ...subject.image, source: '' });
  await writeLabelVolume(path.join(isSupport ? supportLabels : truth, name), { ...subject.labels, source: '' });
}
console.log(`${supports} support and ${queries} query subjects of regions ${regions.join(', ')} in ${values.out}`);
