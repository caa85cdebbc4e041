import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readVolume } from '../../../core/data/read-volume.js';
import { FIXTURES } from '../../helpers/fixtures.js';

describe('readVolume with a relative path', () => {
  it('reads the same image as with the absolute path (itk-wasm alone fails on relative paths)', async () => {
    const absolute = path.join(FIXTURES, 'io', 'nifti', 'anatomical.nii');
    const relative = path.relative(process.cwd(), absolute);
    assert.ok(!path.isAbsolute(relative));
    const [a, b] = await Promise.all([readVolume(absolute), readVolume(relative)]);
    assert.deepEqual(b.size, a.size);
    assert.deepEqual(b.data, a.data);
  });
});
