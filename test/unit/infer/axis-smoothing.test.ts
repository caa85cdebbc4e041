import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smoothAlongAxis } from '../../../core/infer/axis-smoothing.js';

const map = (...values: number[]) => Float32Array.from(values);

describe('smoothAlongAxis', () => {
  it('averages each slice with its neighbours, what is known of the others (labelled masks, zeros) taking part', () => {
    // Slices 3, 4, 5 predicted; 2 is labelled (mask 1, 0); 6 is neither, so slice 5 stands in for it.
    const out = smoothAlongAxis([3, 4, 5], [map(0.5, 0), map(0.2, 0.4), map(0.8, 1)], (s) => (s === 2 ? map(1, 0) : undefined), 0.5);
    const w = [-1, 0, 1].map((k) => Math.exp(-(k * k) / (2 * 0.25)));
    const sum = w.reduce((a, b) => a + b, 0);
    const expect = (below: number, own: number, above: number) => (w[0]! * below + w[1]! * own + w[2]! * above) / sum;
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
    close(out[0]![0]!, expect(1, 0.5, 0.2));
    close(out[0]![1]!, expect(0, 0, 0.4));
    close(out[1]![0]!, expect(0.5, 0.2, 0.8));
    close(out[2]![0]!, expect(0.2, 0.8, 0.8));
    close(out[2]![1]!, expect(0.4, 1, 1));
  });

  it('leaves a constant run of slices as it is and sigma 0 changes nothing', () => {
    const maps = [map(0.3, 0.9), map(0.3, 0.9), map(0.3, 0.9), map(0.3, 0.9)];
    const smoothed = smoothAlongAxis([10, 11, 12, 13], maps, () => undefined, 1.5);
    for (const m of smoothed) assert.ok(Math.abs(m[0]! - 0.3) < 1e-6 && Math.abs(m[1]! - 0.9) < 1e-6);
    assert.deepEqual(
      smoothAlongAxis([10, 11], [map(0.1), map(0.7)], () => map(1), 0),
      [map(0.1), map(0.7)],
    );
  });

  it('reaches two sigma on either side and no further', () => {
    const slices = [0, 1, 2, 3, 4, 5, 6];
    const maps = slices.map((s) => map(s === 0 ? 1 : 0));
    const out = smoothAlongAxis(slices, maps, () => undefined, 1);
    assert.ok(out[2]![0]! > 0, 'two slices away is reached');
    assert.equal(out[3]![0]!, 0, 'three slices away is not');
  });
});
