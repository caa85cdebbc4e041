import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { readSafetensors } from '../../../core/model/safetensors.js';
import { readTorchCheckpoint } from '../../../core/model/torch-checkpoint.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/universeg/${name}`, import.meta.url));

// A tiny pickle writer, enough to build the checkpoints torch.save would write for the cases under test.
type Ops = number[];
const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const str = (s: string): Ops => [0x58, ...u32(utf8(s).length), ...utf8(s)];
const int = (n: number): Ops => [0x4a, ...u32(n)];
const float = (x: number): Ops => {
  const big = new DataView(new ArrayBuffer(8));
  big.setFloat64(0, x);
  return [0x47, ...new Uint8Array(big.buffer)];
};
const global = (module: string, name: string): Ops => [0x63, ...utf8(`${module}\n${name}\n`)];
const tuple = (...items: Ops[]): Ops => [0x28, ...items.flat(), 0x74];
const dict = (entries: [string, Ops][]): Ops => [0x7d, 0x28, ...entries.flatMap(([k, v]) => [...str(k), ...v]), 0x75];
const orderedDict = (entries: [string, Ops][]): Ops => [
  ...global('collections', 'OrderedDict'),
  0x29, // EMPTY_TUPLE
  0x52, // REDUCE
  ...dict(entries).slice(1),
];
const tensor = (storage: string, key: string, numel: number, offset: number, shape: number[], stride: number[]): Ops => [
  ...global('torch._utils', '_rebuild_tensor_v2'),
  ...tuple(
    [...tuple(str('storage'), global('torch', storage), str(key), str('cpu'), int(numel)), 0x51], // BINPERSID
    int(offset),
    tuple(...shape.map(int)),
    tuple(...stride.map(int)),
    [0x89], // NEWFALSE: requires_grad
    orderedDict([]), // backward hooks
  ),
  0x52, // REDUCE
];
const pickle = (body: Ops) => new Uint8Array([0x80, 2, ...body, 0x2e]);
const checkpoint = (body: Ops, storages: Record<string, Uint8Array>) =>
  zipSync(
    {
      'archive/data.pkl': pickle(body),
      ...Object.fromEntries(Object.entries(storages).map(([k, v]) => [`archive/data/${k}`, v])),
      'archive/version': new TextEncoder().encode('3\n'),
    },
    { level: 0 },
  );
const bytesOf = (a: Float32Array | Float64Array | Uint16Array) => new Uint8Array(a.buffer);

test('imports the reference torch.save checkpoint bit for bit', () => {
  const fromTorch = readTorchCheckpoint(fixture('weights_random.pt'), 'weights_random.pt');
  const expected = readSafetensors(fixture('weights_random.safetensors'), 'weights_random.safetensors').tensors;
  assert.equal(fromTorch.size, 44);
  assert.deepEqual([...fromTorch.keys()], [...expected.keys()]);
  for (const [name, { shape, data }] of expected) {
    const t = fromTorch.get(name)!;
    assert.deepEqual(t.shape, shape, name);
    assert.ok(Buffer.from(bytesOf(t.data)).equals(Buffer.from(bytesOf(data))), `${name} differs`);
  }
});

test('reads a state dict nested beside other entries, with strided, offset, shared and half storages', () => {
  const storage0 = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const half = new Uint16Array([0x3c00, 0xc000, 0x3800]); // 1, -2, 0.5
  const double = new Float64Array([0.25, 1e-3]);
  const body = dict([
    ['epoch', int(7)],
    ['optimizer', dict([['lr', float(1e-4)]])],
    [
      'state_dict',
      orderedDict([
        // 2x3 matrix at offset 1, transposed: shape (3, 2), stride (1, 3)
        ['t', tensor('FloatStorage', '0', 8, 1, [3, 2], [1, 3])],
        ['tail', tensor('FloatStorage', '0', 8, 6, [2], [1])],
        ['scalar', tensor('FloatStorage', '0', 8, 3, [], [])],
        ['h', tensor('HalfStorage', '1', 3, 0, [3], [1])],
        ['d', tensor('DoubleStorage', '2', 2, 0, [1, 2], [2, 1])],
        ['broadcast', tensor('FloatStorage', '0', 8, 2, [2, 2], [0, 1])],
      ]),
    ],
  ]);
  const bytes = checkpoint(body, { 0: bytesOf(storage0), 1: bytesOf(half), 2: bytesOf(double) });
  const tensors = readTorchCheckpoint(bytes, 'nested.pt');
  assert.deepEqual([...tensors.keys()], ['t', 'tail', 'scalar', 'h', 'd', 'broadcast']);
  assert.deepEqual(tensors.get('t'), { shape: [3, 2], data: new Float32Array([1, 4, 2, 5, 3, 6]) });
  assert.deepEqual(tensors.get('tail'), { shape: [2], data: new Float32Array([6, 7]) });
  assert.deepEqual(tensors.get('scalar'), { shape: [], data: new Float32Array([3]) });
  assert.deepEqual(tensors.get('h'), { shape: [3], data: new Float32Array([1, -2, 0.5]) });
  assert.deepEqual(tensors.get('d'), { shape: [1, 2], data: new Float32Array([0.25, 1e-3]) });
  assert.deepEqual(tensors.get('broadcast'), { shape: [2, 2], data: new Float32Array([2, 3, 2, 3]) });
});

test('refuses globals outside the allow-list', () => {
  const body = [...global('os', 'system'), ...tuple(str('echo owned')), 0x52];
  assert.throws(() => readTorchCheckpoint(checkpoint(body, {}), 'evil.pt'), /^Error: evil\.pt: unsupported pickle global os\.system/);
  const longs = dict([['n', tensor('LongStorage', '0', 1, 0, [1], [1])]]);
  assert.throws(
    () => readTorchCheckpoint(checkpoint(longs, { 0: new Uint8Array(8) }), 'longs.pt'),
    /longs\.pt: unsupported pickle global torch\.LongStorage/,
  );
});

test('truncated or corrupt checkpoints give errors that name the file', () => {
  const real = fixture('weights_random.pt');
  const weights = (values: Float32Array) => ({ 0: bytesOf(values) });
  const cases: [Uint8Array, RegExp][] = [
    [real.subarray(0, real.length >> 1), /not a readable PyTorch zip checkpoint/],
    [new TextEncoder().encode('not a zip at all'), /not a readable PyTorch zip checkpoint/],
    [pickle(int(1)), /legacy \(pre-1\.6\) torch\.save format/],
    [zipSync({ 'archive/other.txt': new Uint8Array(1) }), /the zip has no <archive>\/data\.pkl/],
    [checkpoint(dict([['epoch', int(1)]]), {}), /found no state dict of tensors/],
    [checkpoint(dict([['w', tensor('FloatStorage', '0', 4, 0, [4], [1])]]), {}), /storage archive\/data\/0 is missing/],
    [
      checkpoint(dict([['w', tensor('FloatStorage', '0', 4, 0, [4], [1])]]), weights(new Float32Array(3))),
      /storage archive\/data\/0 has 12 bytes, expected 4 F32 values/,
    ],
    [
      checkpoint(dict([['w', tensor('FloatStorage', '0', 4, 1, [4], [1])]]), weights(new Float32Array(4))),
      /tensor view \[4\] runs past its storage 0/,
    ],
    [
      zipSync({ 'archive/data.pkl': pickle(dict([['w', tensor('FloatStorage', '0', 4, 0, [4], [1])]])).subarray(0, 40) }),
      /pickle is truncated/,
    ],
    [checkpoint([0xff], {}), /unsupported pickle opcode 0xff \(pickle byte 2\)/],
    [checkpoint([0x73], {}), /stack underflow/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => readTorchCheckpoint(bytes, 'bad.pt'),
      (e: Error) => e.message.startsWith('bad.pt: ') && message.test(e.message),
      message.source,
    );
  }
});
