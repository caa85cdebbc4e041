import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SurfaceHandOver, type ColouredSurface, type FrameClock, type PieceSink } from '../../../renderer/src/surface/surface-handover.js';
import { splitSurface } from '../../../renderer/src/surface/surface-pieces.js';
import type { SurfacePiece } from '../../../renderer/src/surface/surface-protocol.js';

/** A strip of `n` triangles over n + 2 points (consecutive triangles share two points, as marching cubes' do). */
function strip(n: number, shift = 0) {
  const points = new Float32Array((n + 2) * 3).map((_, i) => i + shift);
  const normals = new Float32Array((n + 2) * 3).map((_, i) => -i);
  const triangles = new Uint32Array(n * 3).map((_, i) => Math.floor(i / 3) + (i % 3));
  return { points, normals, triangles };
}

function surface(value: number, version: number, triangles: number, max: number): ColouredSurface {
  // Points numbered by version, so a test can tell whose piece an actor holds.
  const { points, normals, triangles: t } = strip(triangles, version * 100_000);
  return { value, version, triangles, bounds: [0, 1, 0, 1, 0, 1], pieces: splitSurface(points, normals, t, max), color: [value, 0, 0] };
}

interface FakeActor {
  piece: SurfacePiece;
  visible: boolean;
  inScene: boolean;
  uploaded: boolean;
}

/** The scene as the hand-over leaves it, frames run by hand. */
function fakeScene(canDrawOver = true) {
  const actors: FakeActor[] = [];
  const log = { staged: 0, renders: 0, drawnOver: 0, perFrame: [] as number[] };
  let frame: (() => void) | null = null;
  const sink: PieceSink<FakeActor> = {
    stage: (piece) => {
      const a = { piece, visible: false, inScene: true, uploaded: false };
      actors.push(a);
      log.staged++;
      return a;
    },
    upload: (list) => {
      list.forEach((a) => (a.uploaded = true));
      log.perFrame.push(list.reduce((n, a) => n + a.piece.polys.length / 4, 0));
    },
    drawOver: (list) => {
      if (!canDrawOver) return false;
      list.forEach((a) => (a.visible = true));
      log.drawnOver += list.length;
      return true;
    },
    show: (list) => list.forEach((a) => (a.visible = true)),
    drop: (list) => list.forEach((a) => (a.inScene = false)),
    recolour: () => {},
    render: () => log.renders++,
  };
  const clock: FrameClock = {
    request: (callback) => {
      frame = callback;
      return 1;
    },
    cancel: () => (frame = null),
  };
  const tick = () => {
    const f = frame;
    frame = null;
    f?.();
    return f !== null;
  };
  const onScreen = () => actors.filter((a) => a.inScene && a.visible);
  const triangles = (list: FakeActor[]) => list.reduce((n, a) => n + a.piece.polys.length / 4, 0);
  return { sink, clock, tick, actors, log, onScreen, triangles };
}

test('splitting a surface keeps every triangle, in order, with compact points per piece', () => {
  const { points, normals, triangles } = strip(1000);
  const pieces = splitSurface(points, normals, triangles, 300);
  assert.deepEqual(
    pieces.map((p) => p.polys.length / 4),
    [300, 300, 300, 100],
  );
  const rebuilt: number[] = [];
  for (const p of pieces) {
    const used = new Set<number>();
    for (let o = 0; o < p.polys.length; o += 4) {
      assert.equal(p.polys[o], 3);
      for (let c = 1; c <= 3; c++) {
        const l = p.polys[o + c]!;
        used.add(l);
        rebuilt.push(...p.points.subarray(l * 3, l * 3 + 3));
        assert.deepEqual(
          [...p.normals.subarray(l * 3, l * 3 + 3)],
          [...p.points.subarray(l * 3, l * 3 + 3)].map((v) => -v),
        );
      }
    }
    // Compact: every point of a piece is used, none twice (302 points for 300 triangles of a strip).
    assert.equal(used.size, p.points.length / 3);
  }
  const original = [...triangles].flatMap((g) => [...points.subarray(g * 3, g * 3 + 3)]);
  assert.deepEqual(rebuilt, original);
});

test('a hand-over stages at most a budget of triangles per frame and ends with every piece of every label on screen', async () => {
  const s = fakeScene();
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const surfaces = [surface(1, 1, 950, 100), surface(2, 2, 130, 100)];
  const done = handOver.show(surfaces);
  let frames = 0;
  while (s.tick()) frames++;
  assert.equal(await done, true);
  assert.equal(frames, 12);
  assert.ok(s.log.perFrame.every((n) => n <= 100));
  assert.equal(s.log.staged, 10 + 2);
  assert.equal(s.triangles(s.onScreen()), 950 + 130);
  assert.equal(handOver.shownTriangles(), 950 + 130);
  assert.ok(s.actors.every((a) => a.uploaded && a.visible && a.inScene));
  // New labels were drawn over the picture piece by piece: no full redraw.
  assert.equal(s.log.renders, 0);
});

test('an edited label keeps its old surface until all its new pieces are in, then one render swaps them', async () => {
  const s = fakeScene();
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const first = handOver.show([surface(1, 1, 300, 100)]);
  while (s.tick());
  assert.equal(await first, true);
  const old = s.onScreen();
  const second = handOver.show([surface(1, 2, 500, 100)]);
  for (let f = 0; f < 4; f++) {
    assert.ok(s.tick());
    assert.deepEqual(s.onScreen(), old, 'no half surface while the new pieces come in');
  }
  assert.ok(s.tick());
  assert.equal(s.tick(), false);
  assert.equal(await second, true);
  assert.equal(s.triangles(s.onScreen()), 500);
  assert.ok(old.every((a) => !a.inScene));
  assert.equal(s.log.renders, 1);
  assert.equal(handOver.shownTriangles(), 500);
});

test('a newer hand-over overtakes an unfinished one: the older one resolves false and leaves nothing of its own', async () => {
  const s = fakeScene();
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const base = handOver.show([surface(1, 1, 200, 100)]);
  while (s.tick());
  assert.equal(await base, true);
  const stale = handOver.show([surface(1, 2, 900, 100), surface(3, 3, 400, 100)]);
  s.tick();
  s.tick();
  const newer = handOver.show([surface(1, 4, 300, 100)]);
  assert.equal(await stale, false);
  while (s.tick());
  assert.equal(await newer, true);
  const version = (a: FakeActor) => Math.floor(a.piece.points[0]! / 100_000);
  assert.ok(
    s.actors.some((a) => version(a) === 2 || version(a) === 3),
    'the stale hand-over had staged pieces',
  );
  assert.deepEqual(s.actors.filter((a) => a.inScene).map(version), [4, 4, 4]);
  // On screen: exactly the newest surface of label 1 (label 3 of the stale one never shows).
  assert.equal(s.triangles(s.onScreen()), 300);
  assert.equal(handOver.shownTriangles(), 300);
  assert.ok(s.actors.filter((a) => a.inScene).every((a) => a.visible));
  assert.equal(s.actors.filter((a) => a.inScene).length, 3);
});

test('a newer hand-over of the same surfaces carries on where the older one was, staging no piece twice', async () => {
  const s = fakeScene();
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const surfaces = [surface(1, 1, 600, 100)];
  const first = handOver.show(surfaces);
  s.tick();
  s.tick();
  const again = handOver.show(surfaces.map((x) => ({ ...x })));
  assert.equal(await first, false);
  while (s.tick());
  assert.equal(await again, true);
  assert.equal(s.log.staged, 6);
  assert.equal(s.triangles(s.onScreen()), 600);
});

test('where pieces cannot be drawn over the picture, they stay hidden and one full render shows them all', async () => {
  const s = fakeScene(false);
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const done = handOver.show([surface(1, 1, 450, 100)]);
  while (s.tick()) if (s.actors.length < 5) assert.equal(s.onScreen().length, 0);
  assert.equal(await done, true);
  assert.equal(s.log.renders, 1);
  assert.equal(s.triangles(s.onScreen()), 450);
});

test('labels no longer wanted leave at once, and a hand-over with nothing new is one render', async () => {
  const s = fakeScene();
  const handOver = new SurfaceHandOver(s.sink, 100, s.clock);
  const surfaces = [surface(1, 1, 150, 100), surface(2, 2, 150, 100)];
  const first = handOver.show(surfaces);
  while (s.tick());
  assert.equal(await first, true);
  assert.equal(await handOver.show([surfaces[1]!]), true);
  assert.equal(s.log.renders, 1);
  assert.equal(s.triangles(s.onScreen()), 150);
  assert.equal(await handOver.show([]), true);
  assert.equal(s.onScreen().length, 0);
});
