import assert from 'node:assert/strict';
import { test } from 'node:test';
import { voxelType } from '../../../core/engine/voxel-type.js';

const typeOf = (values: number[]) =>
  voxelType(Float32Array.from(values), Math.min(...values.filter(Number.isFinite)), Math.max(...values.filter(Number.isFinite)));

test('integer images travel in the smallest type holding them exactly', () => {
  assert.equal(typeOf([0, 17, 255]), 'uint8');
  assert.equal(typeOf([-1024, 0, 3071]), 'int16');
  assert.equal(typeOf([0, 40_000]), 'uint16');
  assert.equal(typeOf([-1, 40_000]), 'float32');
  assert.equal(typeOf([0, 70_000]), 'float32');
});

test('a fraction, NaN or an infinity keeps float32', () => {
  assert.equal(typeOf([0, 1.5]), 'float32');
  assert.equal(typeOf([0, NaN, 3]), 'float32');
  assert.equal(typeOf([0, Infinity, 3]), 'float32');
});
