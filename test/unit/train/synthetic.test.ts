import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { augmentPair, augmentTask, defaultAugmentationConfig } from '../../../core/train/augment/index.js';
import { createSyntheticTask, sampleSyntheticSet } from '../../../core/train/synthetic/index.js';
import { Random } from '../../../core/util/random.js';

function fraction(label: Float32Array): number {
  return label.reduce((a, v) => a + v, 0) / label.length;
}

function dice(a: Float32Array, b: Float32Array): number {
  let both = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! * b[i]!;
    total += a[i]! + b[i]!;
  }
  return (2 * both) / total;
}

/** Share of horizontally or vertically adjacent pixel pairs whose labels differ: high for noise, low for blobs. */
function boundaryDensity(label: Float32Array, size: number): number {
  let changes = 0;
  for (let y = 0; y < size - 1; y++) {
    for (let x = 0; x < size - 1; x++) {
      const i = y * size + x;
      changes += Number(label[i] !== label[i + 1]) + Number(label[i] !== label[i + size]);
    }
  }
  return changes / (2 * (size - 1) * (size - 1));
}

test('same seed gives identical sets, another seed a different one', () => {
  const a = sampleSyntheticSet(new Random(7), 64, 8);
  const b = sampleSyntheticSet(new Random(7), 64, 8);
  const c = sampleSyntheticSet(new Random(8), 64, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.query, c.query);
  assert.notDeepEqual(a.queryLabel, c.queryLabel);
});

test('sets have the requested shape, images in [0, 1], binary labels with sane foreground', () => {
  const rng = new Random(1);
  for (const size of [64, 128]) {
    for (let t = 0; t < (size === 64 ? 40 : 10); t++) {
      const set = sampleSyntheticSet(rng, size, 8);
      assert.equal(set.support.length, 8);
      for (const { image, label } of [{ image: set.query, label: set.queryLabel }, ...set.support]) {
        assert.equal(image.length, size * size);
        assert.equal(label.length, size * size);
        assert.ok(
          image.every((v) => v >= 0 && v <= 1),
          'image outside [0, 1]',
        );
        assert.ok(
          label.every((v) => v === 0 || v === 1),
          'label not binary',
        );
        const f = fraction(label);
        assert.ok(f >= 0.02 && f <= 0.6, `foreground fraction ${f} at size ${size}, task ${t}`);
        // Intensities span the range: the rendering is not a flat or washed-out image.
        assert.ok(Math.max(...image) - Math.min(...image) > 0.5);
      }
    }
  }
});

test('targets are smooth regions, and examples of one task share their structure', () => {
  const rng = new Random(2);
  let within = 0;
  let across = 0;
  const tasks = 20;
  let previous: Float32Array | null = null;
  for (let t = 0; t < tasks; t++) {
    const task = createSyntheticTask(rng, 64);
    const a = task.sample(rng);
    const b = task.sample(rng);
    assert.ok(boundaryDensity(a.label, 64) < 0.08, `target ${t} looks like noise: ${boundaryDensity(a.label, 64)}`);
    within += dice(a.label, b.label) / tasks;
    if (previous) across += dice(a.label, previous) / (tasks - 1);
    previous = a.label;
  }
  assert.ok(within > 0.7, `examples of a task overlap with Dice ${within}`);
  assert.ok(across < 0.35, `different tasks overlap with Dice ${across}`);
});

test('option ranges are honoured and bad sizes are rejected', () => {
  const task = createSyntheticTask(new Random(3), 32, { labels: [4, 4] });
  assert.equal(task.labelCount, 4);
  assert.ok(task.target >= 0 && task.target < 4);
  assert.throws(() => createSyntheticTask(new Random(3), 5), /size must be an integer >= 8/);
  assert.throws(() => sampleSyntheticSet(new Random(3), 64, 0), /support size/);
});

test('timing: one synthetic set of N = 8, and with augmentation (printed)', () => {
  const config = defaultAugmentationConfig();
  for (const size of [64, 128]) {
    const rng = new Random(4);
    const runs = size === 64 ? 40 : 15;
    for (let r = 0; r < 5; r++) sampleSyntheticSet(rng, size, 8);
    let t0 = performance.now();
    for (let r = 0; r < runs; r++) sampleSyntheticSet(rng, size, 8);
    const generate = (performance.now() - t0) / runs;
    t0 = performance.now();
    for (let r = 0; r < runs; r++) {
      const set = sampleSyntheticSet(rng, size, 8);
      const query = augmentPair(rng, { image: set.query, label: set.queryLabel }, size, config);
      const support = set.support.map((pair) => augmentPair(rng, pair, size, config));
      augmentTask(rng, { query: query.image, queryLabel: query.label, support }, size, config);
    }
    const total = (performance.now() - t0) / runs;
    console.log(`synthetic set ${size}x${size}, N=8: ${generate.toFixed(1)} ms; with augmentation ${total.toFixed(1)} ms`);
    assert.ok(total < (size === 64 ? 250 : 1200), 'data generation would starve the engine');
  }
});

test('contact sheet of synthetic tasks', () => {
  const size = 64;
  const tasks = 6;
  const examples = 4;
  const rng = new Random(5);
  const width = examples * 2 * (size + 2);
  const height = tasks * (size + 2);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  for (let t = 0; t < tasks; t++) {
    const task = createSyntheticTask(rng, size);
    for (let e = 0; e < examples; e++) {
      const { image, label } = task.sample(rng);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const grey = Math.round(image[y * size + x]! * 255);
          const on = label[y * size + x] === 1;
          const row = t * (size + 2) + y;
          const left = (row * width + e * 2 * (size + 2) + x) * 3;
          rgb.fill(grey, left, left + 3);
          const right = left + (size + 2) * 3;
          rgb[right] = on ? Math.round(128 + grey / 2) : grey;
          rgb[right + 1] = on ? Math.round(grey / 2) : grey;
          rgb[right + 2] = on ? Math.round(grey / 2) : grey;
        }
      }
    }
  }
  const path = join(tmpdir(), 'synthetic.png');
  writeFileSync(path, encodePng(rgb, width, height));
  console.log(`contact sheet: ${path}`);
});

/** Minimal RGB PNG writer (one IDAT, no filtering) so the test needs no image library. */
function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgb.buffer, y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
