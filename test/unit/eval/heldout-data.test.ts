import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { loadHeldoutData, readHeldoutManifest } from '../../../core/eval/heldout-data.js';
import { twoRegions } from './tiny-heldout.js';

describe('held-out data manifest', () => {
  it('names the 16 held-out AAL regions of SOURCES.md (ids that are multiples of 5), paths relative to itself', async () => {
    const file = path.join(import.meta.dirname, '..', '..', '..', 'assets', 'eval', 'colin27-heldout.json');
    const m = await readHeldoutManifest(file);
    assert.deepEqual(
      m.regions.map((r) => r.id),
      [5, 10, 15, 20, 25, 30, 35, 45, 50, 55, 60, 65, 70, 80, 85, 90],
    );
    assert.equal(m.regions.find((r) => r.id === 30)!.name, 'Insula_R');
    assert.equal(m.image, path.resolve(path.dirname(file), '../../../shared/data/train/colin27/ch2.nii.gz'));
  });

  it('reads another manifest of the same form, and says what is wrong with a bad one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'universeg-eval-'));
    try {
      const { labels } = twoRegions();
      await writeLabelVolume(path.join(dir, 'labels.nii.gz'), labels);
      const write = (name: string, body: unknown) => fs.writeFile(path.join(dir, name), JSON.stringify(body));
      await write('ok.json', { name: 'tiny', image: 'labels.nii.gz', labels: 'labels.nii.gz', regions: [{ id: 10, name: 'Box' }] });
      const data = await loadHeldoutData(path.join(dir, 'ok.json'));
      assert.deepEqual([data.name, data.image.size, data.regions], ['tiny', [24, 24, 30], [{ id: 10, name: 'Box' }]]);

      await write('absent.json', { image: 'labels.nii.gz', labels: 'labels.nii.gz', regions: [{ id: 11, name: 'Nowhere' }] });
      await assert.rejects(loadHeldoutData(path.join(dir, 'absent.json')), /absent\.json: regions 11 Nowhere do not occur/);
      await write('twice.json', {
        image: 'a',
        labels: 'b',
        regions: [
          { id: 5, name: 'a' },
          { id: 5, name: 'b' },
        ],
      });
      await assert.rejects(readHeldoutManifest(path.join(dir, 'twice.json')), /region id 5 is listed twice/);
      await write('nolist.json', { image: 'a', labels: 'b' });
      await assert.rejects(readHeldoutManifest(path.join(dir, 'nolist.json')), /non-empty "regions"/);
      await assert.rejects(readHeldoutManifest(path.join(dir, 'missing.json')), /missing\.json: cannot read .*ENOENT/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
