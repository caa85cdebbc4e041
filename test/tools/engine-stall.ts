/**
 * How long the desktop app's main process stalls while the engine opens a 512x512x300 DICOM series: the engine
 * in its own process behind the relay (as the app runs it), and, with --in-process, the engine in this process (as
 * main hosted it before). Writes the series to a temporary folder (removed afterwards), then opens the study,
 * reads its geometry and intensity range and fetches the middle slice, as the viewer does on opening, while
 * perf_hooks.monitorEventLoopDelay watches this process's event loop.
 *
 *   node --import tsx test/tools/engine-stall.ts [--in-process] [--size 512] [--slices 300]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ApiReply } from '../../core/contract/index.js';
import { allowPicked } from '../../core/engine/paths.js';
import { createDispatch } from '../../core/engine/dispatch.js';
import { createEngineRelay } from '../../electron/engine-relay.js';
import { forkEngineLink } from '../helpers/engine-child.js';
import { engineWith } from '../unit/api/engine-fixture.js';
import { desktopPaths } from '../../core/engine/desktop-paths.js';
import { recentStudiesFile } from '../../core/engine/recent.js';

const { values } = parseArgs({
  options: { 'in-process': { type: 'boolean' }, size: { type: 'string', default: '512' }, slices: { type: 'string', default: '300' } },
});
const size = Number(values.size);
const slices = Number(values.slices);

const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'universeg-stall-')));
const study = path.join(home, 'series');
try {
  writeSeries(study, size, slices);
  const call = values['in-process'] ? await inProcess() : await relayed();
  // The same watch over an idle second first: on a loaded machine the scheduler alone delays the loop.
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  idle.disable();
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const opened = expectOk(await call.call('openStudy', { path: study })) as { id: string; items: { id: string }[] };
  const ref = { studyId: opened.id, itemId: opened.items[0]!.id };
  const info = expectOk(await call.call('getVolumeInfo', ref)) as { size: number[] };
  expectOk(await call.call('getSlice', { ...ref, axis: 2, index: Math.floor(info.size[2]! / 2) }));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  stalls.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(
    JSON.stringify({
      engine: values['in-process'] ? 'in this process' : 'own process, through the relay',
      series: `${size}x${size}x${slices}`,
      openSeconds: Number(seconds.toFixed(2)),
      maxStallMs: Number(ms(stalls.max)),
      p99StallMs: Number(ms(stalls.percentile(99))),
      meanStallMs: Number(ms(stalls.mean)),
      // CPU time this process spent meanwhile: what stalls its loop beyond that is the machine's other load.
      thisProcessCpuMs: Math.round((user + system) / 1000),
      idleMaxStallMs: Number(ms(idle.max)),
      idleP99StallMs: Number(ms(idle.percentile(99))),
    }),
  );
  await call.close();
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}

function expectOk(reply: ApiReply): unknown {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

async function relayed() {
  const relay = createEngineRelay(
    forkEngineLink({ home, recentFile: path.join(home, 'recent.json'), version: 'stall', jobs: 'fork' }),
    () => {
      throw new Error('no jobs here');
    },
  );
  await relay.grant(study);
  return relay;
}

async function inProcess() {
  const paths = await desktopPaths(home, recentStudiesFile(path.join(home, 'recent.json')));
  await allowPicked(paths, study);
  const engine = engineWith(paths, path.join(home, 'recent.json'));
  const dispatch = createDispatch(engine.handlers);
  return { call: (method: string, params: unknown) => dispatch(method, params), close: () => engine.close() };
}

/** An MR series of `count` explicit-VR little-endian files, `n` x `n` int16 each, 0.5 mm pixels, 1 mm apart. */
function writeSeries(folder: string, n: number, count: number): void {
  fs.mkdirSync(folder);
  const study = '1.2.826.0.1.3680043.8.498.1';
  const series = `${study}.2`;
  const pixels = new Int16Array(n * n);
  for (let k = 0; k < count; k++) {
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        pixels[y * n + x] = Math.round(1000 * Math.exp(-((x - n / 2) ** 2 + (y - n / 2) ** 2 + (k - count / 2) ** 2) / ((n * n) / 8)));
    const instance = `${series}.${k + 1}`;
    const meta = [
      element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1])),
      element(0x0002, 0x0002, 'UI', uid('1.2.840.10008.5.1.4.1.1.4')),
      element(0x0002, 0x0003, 'UI', uid(instance)),
      element(0x0002, 0x0010, 'UI', uid('1.2.840.10008.1.2.1')),
      element(0x0002, 0x0012, 'UI', uid('1.2.826.0.1.3680043.8.498.9')),
    ];
    const metaLength = meta.reduce((sum, e) => sum + e.length, 0);
    const body = [
      element(0x0008, 0x0016, 'UI', uid('1.2.840.10008.5.1.4.1.1.4')),
      element(0x0008, 0x0018, 'UI', uid(instance)),
      element(0x0008, 0x0060, 'CS', text('MR')),
      element(0x0010, 0x0010, 'PN', text('Stall^Test')),
      element(0x0018, 0x0050, 'DS', text('1')),
      element(0x0020, 0x000d, 'UI', uid(study)),
      element(0x0020, 0x000e, 'UI', uid(series)),
      element(0x0020, 0x0011, 'IS', text('1')),
      element(0x0020, 0x0013, 'IS', text(String(k + 1))),
      element(0x0020, 0x0032, 'DS', text(`0\\0\\${k}`)),
      element(0x0020, 0x0037, 'DS', text('1\\0\\0\\0\\1\\0')),
      element(0x0028, 0x0002, 'US', u16(1)),
      element(0x0028, 0x0004, 'CS', text('MONOCHROME2')),
      element(0x0028, 0x0010, 'US', u16(n)),
      element(0x0028, 0x0011, 'US', u16(n)),
      element(0x0028, 0x0030, 'DS', text('0.5\\0.5')),
      element(0x0028, 0x0100, 'US', u16(16)),
      element(0x0028, 0x0101, 'US', u16(16)),
      element(0x0028, 0x0102, 'US', u16(15)),
      element(0x0028, 0x0103, 'US', u16(1)),
      element(0x7fe0, 0x0010, 'OW', new Uint8Array(pixels.buffer)),
    ];
    const preamble = new Uint8Array(132);
    preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
    const file = Buffer.concat([preamble, element(0x0002, 0x0000, 'UL', u32(metaLength)), ...meta, ...body]);
    fs.writeFileSync(path.join(folder, `slice${String(k).padStart(4, '0')}.dcm`), file);
  }
}

function element(group: number, elem: number, vr: string, value: Uint8Array): Buffer {
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}
/** DICOM values have an even length: strings are padded with a space, UIDs with a NUL. */
function text(s: string, fill = ' '): Buffer {
  return Buffer.from(s.length % 2 ? s + fill : s, 'latin1');
}
function uid(s: string): Buffer {
  return text(s, '\0');
}
function u16(v: number): Buffer {
  return Buffer.from(new Uint16Array([v]).buffer);
}
function u32(v: number): Buffer {
  return Buffer.from(new Uint32Array([v]).buffer);
}
