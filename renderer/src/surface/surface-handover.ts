import type { SurfaceMeshMessage, SurfacePiece } from './surface-protocol.js';
import { PIECE_TRIANGLES } from './surface-pieces.js';

export type Colour = [number, number, number];

export interface ColouredSurface extends SurfaceMeshMessage {
  /** RGB 0..255. */
  color: Colour;
}

/** What the hand-over drives: the WebGL scene (surface-scene.ts), or a fake in the unit tests. */
export interface PieceSink<A> {
  /** A piece's actor in the scene, hidden. */
  stage(piece: SurfacePiece, color: Colour): A;
  /** Packs and uploads hidden actors' buffers now, drawing nothing (else the render that shows them does). */
  upload(actors: readonly A[]): void;
  /**
   * Shows hidden actors by drawing only them over the picture on screen (which already holds everything shown),
   * when it can: false (and the actors stay hidden) where only a full render would be right, e.g. after the
   * camera moved, with translucent surfaces, or where they lie outside the depth range of the picture.
   */
  drawOver(actors: readonly A[]): boolean;
  /** Shows hidden actors at the next render. */
  show(actors: readonly A[]): void;
  /** Takes actors out of the scene. */
  drop(actors: readonly A[]): void;
  recolour(actors: readonly A[], color: Colour): void;
  /** Draws the whole scene. */
  render(): void;
}

export interface FrameClock {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const animationFrames: FrameClock = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/** A label's surface on screen. */
interface Whole<A> {
  version: number;
  triangles: number;
  color: Colour;
  actors: A[];
}

/** A label's surface being handed over: pieces before `next` are staged (and uploaded). */
interface Pending<A> {
  surface: ColouredSurface;
  next: number;
  staged: A[];
  /** How many of the staged pieces are on screen, drawn over the picture (a label new to the scene only). */
  drawn: number;
}

/**
 * Hands label surfaces to the scene a few pieces per animation frame, each frame a short task (handing ~400k
 * triangles over at once was one task of 174 ms or more): a frame stages and uploads at most `budget` triangles.
 *
 * A label new to the scene is drawn piece by piece over the picture on screen (no redraw of what is already
 * shown: in software WebGL a redraw costs in proportion to all triangles in the scene, so redrawing every frame
 * made the hand-over several seconds). A label that already has a surface keeps it until all the new pieces are
 * in, then the new one replaces it in one full render (so an edit never shows half a surface); so do new labels
 * that cannot be drawn over (sink.drawOver). A full render also ends a hand-over that removed or recoloured something.
 *
 * A newer `show` overtakes an unfinished one: labels it wants with the same version carry on from where they
 * were, the other pieces leave the scene, and nothing of a replaced label is shown. A surface whose version is
 * already shown is not handed over again.
 */
export class SurfaceHandOver<A> {
  private readonly shown = new Map<number, Whole<A>>();
  private pending: Pending<A>[] = [];
  /** Complete replacements, hidden until the hand-over ends. */
  private ready: Pending<A>[] = [];
  /** The picture on screen misses something or shows something gone: the hand-over ends with a full render. */
  private dirty = false;
  private frame: number | null = null;
  private finish: ((done: boolean) => void) | null = null;

  constructor(
    private readonly sink: PieceSink<A>,
    /** Triangles staged per frame at most (but at least one piece). */
    private readonly budget = PIECE_TRIANGLES,
    private readonly clock: FrameClock = animationFrames,
  ) {}

  /** Shows these surfaces instead of the last ones; true once all are shown, false when a newer call overtook it. */
  show(surfaces: readonly ColouredSurface[]): Promise<boolean> {
    if (this.frame !== null) this.clock.cancel(this.frame);
    this.frame = null;
    this.finish?.(false);
    this.finish = null;
    const before = new Map([...this.pending, ...this.ready].map((p) => [p.surface.value, p]));
    this.pending = [];
    this.ready = [];
    const wanted = new Set(surfaces.map((s) => s.value));
    for (const s of surfaces) {
      const old = this.shown.get(s.value);
      const going = before.get(s.value);
      if (old?.version === s.version) {
        if (!sameColour(old.color, s.color)) {
          this.sink.recolour(old.actors, s.color);
          old.color = s.color;
          this.dirty = true;
        }
      } else if (going?.surface.version === s.version) {
        before.delete(s.value);
        if (!sameColour(going.surface.color, s.color)) {
          this.sink.recolour(going.staged, s.color);
          if (going.drawn > 0) this.dirty = true;
        }
        const carried = { ...going, surface: s };
        (carried.next < s.pieces.length ? this.pending : this.ready).push(carried);
      } else {
        this.pending.push({ surface: s, next: 0, staged: [], drawn: 0 });
      }
    }
    for (const p of before.values()) this.discard(p);
    for (const [value, old] of this.shown)
      if (!wanted.has(value)) {
        this.sink.drop(old.actors);
        this.shown.delete(value);
        this.dirty = true;
      }
    const done = new Promise<boolean>((resolve) => (this.finish = resolve));
    if (this.pending.length === 0 && this.ready.length === 0) this.end();
    else this.frame = this.clock.request(() => this.step());
    return done;
  }

  /** Triangles of the surfaces shown whole (pieces of a hand-over under way do not count). */
  shownTriangles(): number {
    let n = 0;
    for (const s of this.shown.values()) n += s.triangles;
    return n;
  }

  /** Every actor in the scene, shown or not yet. */
  *actors(): IterableIterator<A> {
    for (const s of this.shown.values()) yield* s.actors;
    for (const p of [...this.pending, ...this.ready]) yield* p.staged;
  }

  /** Stops an unfinished hand-over: its pieces leave the scene, what was shown before stays. */
  cancel(): void {
    if (this.frame !== null) this.clock.cancel(this.frame);
    this.frame = null;
    for (const p of [...this.pending, ...this.ready]) this.discard(p);
    this.pending = [];
    this.ready = [];
    if (this.dirty) this.sink.render();
    this.dirty = false;
    this.finish?.(false);
    this.finish = null;
  }

  private discard(p: Pending<A>): void {
    this.sink.drop(p.staged);
    if (p.drawn > 0) this.dirty = true;
  }

  private step(): void {
    const start = performance.now();
    this.frame = null;
    let triangles = 0;
    const fresh: A[] = [];
    const over = new Map<Pending<A>, A[]>();
    for (const p of this.pending) {
      // A new label goes on screen piece by piece while all its earlier pieces could.
      const drawOver = !this.shown.has(p.surface.value) && p.drawn === p.staged.length;
      while (p.next < p.surface.pieces.length) {
        const piece = p.surface.pieces[p.next]!;
        const size = piece.polys.length / 4;
        if (triangles > 0 && triangles + size > this.budget) break;
        const actor = this.sink.stage(piece, p.surface.color);
        p.staged.push(actor);
        fresh.push(actor);
        if (drawOver) over.set(p, [...(over.get(p) ?? []), actor]);
        p.next++;
        triangles += size;
      }
      if (triangles >= this.budget) break;
    }
    this.sink.upload(fresh);
    if (over.size > 0 && this.sink.drawOver([...over.values()].flat())) for (const [p, actors] of over) p.drawn += actors.length;
    for (const p of [...this.pending]) {
      if (p.next < p.surface.pieces.length) continue;
      this.pending.splice(this.pending.indexOf(p), 1);
      if (p.drawn === p.staged.length && !this.shown.has(p.surface.value)) this.shown.set(p.surface.value, whole(p));
      else this.ready.push(p);
    }
    const last = this.pending.length === 0;
    if (last) this.end();
    // One per frame of a hand-over, for the speed test.
    performance.measure('surface-frame', { start, detail: { triangles, render: last } });
    if (!last) this.frame = this.clock.request(() => this.step());
  }

  /** The replacements (and the new labels that could not be drawn over) take their place, in one full render. */
  private end(): void {
    for (const p of this.ready) {
      const old = this.shown.get(p.surface.value);
      if (old) this.sink.drop(old.actors);
      this.sink.show(p.staged);
      this.shown.set(p.surface.value, whole(p));
    }
    if (this.ready.length > 0 || this.dirty) this.sink.render();
    this.ready = [];
    this.dirty = false;
    this.finish?.(true);
    this.finish = null;
  }
}

function whole<A>(p: Pending<A>): Whole<A> {
  return { version: p.surface.version, triangles: p.surface.triangles, color: p.surface.color, actors: p.staged };
}

function sameColour(a: Colour, b: Colour): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}
