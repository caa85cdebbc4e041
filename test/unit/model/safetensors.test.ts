import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readSafetensors, writeSafetensors } from '../../../core/model/safetensors.js';

const fixturePath = new URL('../../fixtures/universeg/weights_random.safetensors', import.meta.url);

/** A safetensors file from a header object and data bytes; `headerPad` spaces let tests misalign the data. */
function safetensorsFile(header: object, data: Uint8Array | number[], headerPad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(headerPad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32Bytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

test('reads the reference weights and writes them back byte for byte', () => {
  const bytes = readFileSync(fixturePath);
  const { tensors, metadata } = readSafetensors(bytes, 'weights_random.safetensors');
  assert.equal(tensors.size, 44);
  assert.deepEqual(tensors.get('enc_blocks.0.cross.cross_conv.weight')?.shape, [64, 3, 3, 3]);
  assert.deepEqual(tensors.get('out_conv.conv.weight')?.shape, [1, 64, 1, 1]);
  const parameters = [...tensors.values()].reduce((n, t) => n + t.data.length, 0);
  assert.equal(parameters, 1_182_785);
  assert.match(metadata.format, /^universeg-v1 state_dict/);
  // Kaiming-initialised weights are neither all zero nor absurd.
  const w = tensors.get('enc_blocks.1.target.vmapped.conv.weight')!.data;
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  assert.ok(std > 0.01 && std < 1, `std ${std}`);

  assert.deepEqual(writeSafetensors(tensors, metadata), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
});

test('writes a deterministic, 8-byte aligned file that reads back equal', () => {
  const tensors = new Map([
    ['b', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) }],
    ['a', { shape: [], data: new Float32Array([Math.PI]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
  ]);
  const bytes = writeSafetensors(tensors, { config: '{"width":64}' });
  assert.deepEqual(writeSafetensors(tensors, { config: '{"width":64}' }), bytes);
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(headerLength % 8, 0);
  const back = readSafetensors(bytes, 'memory');
  assert.deepEqual([...back.tensors.keys()], ['b', 'a', 'empty']);
  assert.deepEqual(back.tensors.get('b'), { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) });
  assert.equal(back.tensors.get('a')!.data[0], Math.fround(Math.PI));
  assert.deepEqual(back.metadata, { config: '{"width":64}' });
  assert.ok(!new TextDecoder().decode(writeSafetensors(tensors)).includes('__metadata__'));
});

test('writing rejects data that does not match its shape', () => {
  const tensors = new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]);
  assert.throws(() => writeSafetensors(tensors), /tensor 'w' has 3 values but shape \[2,2\]/);
});

test('copies unaligned data into aligned Float32Arrays', () => {
  const data = new Uint8Array([0, ...f32Bytes([1.25, -3])]);
  const bytes = safetensorsFile({ x: { dtype: 'F32', shape: [2], data_offsets: [1, 9] } }, data, 3);
  const x = readSafetensors(bytes, 'odd.safetensors').tensors.get('x')!;
  assert.deepEqual(x.data, new Float32Array([1.25, -3]));
  assert.equal(x.data.byteOffset % 4, 0);
});

test('widens F16, BF16 and F64 to float32', () => {
  // F16: 1.5, -2, 65504 (max), 2^-24 (smallest subnormal), +inf
  const f16 = [0x3e00, 0xc000, 0x7bff, 0x0001, 0x7c00];
  // BF16: top halves of 1.5 and -0.15625
  const bf16 = [0x3fc0, 0xbe20];
  const f64 = new Float64Array([0.1, -1e10]);
  const data = new Uint8Array(10 + 4 + 16);
  const view = new DataView(data.buffer);
  f16.forEach((h, i) => view.setUint16(2 * i, h, true));
  bf16.forEach((h, i) => view.setUint16(10 + 2 * i, h, true));
  data.set(new Uint8Array(f64.buffer), 14);
  const header = {
    half: { dtype: 'F16', shape: [5], data_offsets: [0, 10] },
    brain: { dtype: 'BF16', shape: [2], data_offsets: [10, 14] },
    double: { dtype: 'F64', shape: [2], data_offsets: [14, 30] },
  };
  const { tensors } = readSafetensors(safetensorsFile(header, data), 'mixed.safetensors');
  assert.deepEqual(tensors.get('half')!.data, new Float32Array([1.5, -2, 65504, 2 ** -24, Infinity]));
  assert.deepEqual(tensors.get('brain')!.data, new Float32Array([1.5, -0.15625]));
  assert.deepEqual(tensors.get('double')!.data, new Float32Array([0.1, -1e10]));
  assert.ok([...tensors.values()].every((t) => t.dtype === 'F32'));
});

test('bad files give errors that name the file and the problem', () => {
  const good = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const data = f32Bytes([1, 2]);
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(5), /truncated: 5 bytes/],
    [safetensorsFile(good, data).subarray(0, 20), /header length \d+ runs past the end of the file \(20 bytes\)/],
    [safetensorsFile(good, data).subarray(0, -3), /data_offsets \[0, 8\] lie outside the 5 data bytes/],
    [new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b]), /header is not valid JSON/],
    [safetensorsFile([1, 2], data), /header is not a JSON object/],
    [safetensorsFile({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, data), /unsupported dtype "I64"/],
    [safetensorsFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data), /has 8 bytes but F32 shape \[3\] needs 12/],
    [safetensorsFile({ x: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, data), /invalid shape/],
    [safetensorsFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0] } }, data), /invalid data_offsets/],
    [safetensorsFile({ x: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, data), /outside the 8 data bytes/],
    [
      safetensorsFile(
        { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } },
        data,
      ),
      /tensors 'x' and 'y' overlap/,
    ],
    [safetensorsFile({ ...good, __metadata__: { n: 3 } }, data), /__metadata__.n is not a string/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => readSafetensors(bytes, 'bad.safetensors'),
      (e: Error) => e.message.startsWith('bad.safetensors: invalid safetensors file: ') && message.test(e.message),
      message.source,
    );
  }
});
