import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { siblingModule, workerImportCode } from '../util/sibling-module.js';
import type { DisplacementField } from './slice-registration.js';

/** One pair of neighbouring slices to register (registerSlices' arguments), named by its SliceWarps key. */
export interface RegistrationJob {
  key: string;
  /** Its cell in the claims: a worker registers the pair only if it claims it first (see RegistrationPool.take). */
  claim: number;
  fixed: Float32Array;
  moving: Float32Array;
  width: number;
  height: number;
}

/**
 * A registered pair's field, or why a worker did not register it (the caller claimed it, or it failed): the caller
 * then registers it itself.
 */
export type RegistrationResult = { key: string; field: DisplacementField; error?: undefined } | { key: string; error: string };

/** Claims' states: nobody has started the pair, a worker has, the caller has (the worker then skips it). */
export const [UNCLAIMED, WORKER, CALLER] = [0, 1, 2];

/** Pairs handed out and not yet back, at most: each has a cell in the claims, reused in turn. */
const CLAIMS = 4096;

/**
 * How long the caller waits for a pair a worker is registering before taking the workers for broken and
 * registering in-thread: a pair takes milliseconds, so only a stuck or dead worker gets near it.
 */
const WAIT_LIMIT_MS = 20_000;

let alive = 0;

/** Registration workers of every pool in this process started and not yet exited: none once propagation has ended. */
export function liveRegistrationWorkers(): number {
  return alive;
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  /** The pairs handed to this worker and not yet back, with their claim cells. */
  keys: Map<string, number>;
}

/**
 * Worker threads that register pairs of neighbouring slices ahead of propagation (SliceWarps hands them the pairs
 * it will ask for next), so that registration runs on cores the main thread leaves idle. Every pair goes to a worker
 * at once (the main thread, busy in the network, is not there to hand out the next); a pair no worker has started
 * when it is needed is claimed and registered by the caller instead (take returns undefined), as is every pair once a
 * worker fails. The results are the same numbers either way, registerSlices being deterministic. Workers start with
 * the first pair and must be closed (close) when propagation ends.
 */
export class RegistrationPool {
  private slots: Slot[] | undefined;
  private broken = false;
  private readonly ready = new Map<string, DisplacementField>();
  /** In-flight pairs forgotten (drop) before they came back: discarded on arrival. */
  private readonly unwanted = new Set<string>();
  /**
   * [results posted by any worker, a worker failed to load]: shared so that a thread blocked waiting for a pair
   * (Atomics.wait) learns of either without its event loop, which would deliver the worker's error only later.
   */
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  /** Who registers each pair handed out (UNCLAIMED, WORKER, CALLER), decided by compare-and-swap. */
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * CLAIMS));
  private nextClaim = 0;
  private readonly exits: Promise<unknown>[] = [];
  private running = 0;
  /** Pairs handed back registered by a worker (take), for tests and reports. */
  served = 0;

  constructor(
    readonly size = 2,
    private readonly spawn: (workerData: WorkerData, transferList: MessagePort[]) => Worker = spawnRegistrationWorker,
  ) {}

  /** Worker threads started and not yet exited. */
  get live(): number {
    return this.running;
  }

  /** Whether pairs can be handed out (not once a worker failed or the pool is closed). */
  get usable(): boolean {
    return !this.broken && this.size > 0;
  }

  /** Whether `key` is with a worker or back. */
  has(key: string): boolean {
    return this.ready.has(key) || (this.slots?.some((s) => s.keys.has(key)) ?? false);
  }

  /** Hands a pair to the least busy worker; false where none can take it. */
  submit(job: Omit<RegistrationJob, 'claim'>): boolean {
    if (Atomics.load(this.done, 1) !== 0) this.stop();
    if (!this.start()) return false;
    const slots = this.slots!;
    if (slots.reduce((n, s) => n + s.keys.size, 0) >= CLAIMS) return false;
    const slot = slots.reduce((a, b) => (b.keys.size < a.keys.size ? b : a));
    const claim = this.nextClaim;
    this.nextClaim = (claim + 1) % CLAIMS;
    Atomics.store(this.claims, claim, UNCLAIMED);
    slot.keys.set(job.key, claim);
    // Copied, not transferred: the images may be the caller's own arrays.
    slot.port.postMessage({ ...job, claim } satisfies RegistrationJob);
    return true;
  }

  /**
   * The pair's field if a worker has registered it, waiting for it if one is at it; undefined if no worker had
   * started it (the caller claims it, and registers it) or none can finish it.
   */
  take(key: string): DisplacementField | undefined {
    const deadline = performance.now() + WAIT_LIMIT_MS;
    for (;;) {
      const seen = Atomics.load(this.done, 0);
      this.receive();
      const field = this.ready.get(key);
      if (field) {
        this.ready.delete(key);
        this.served++;
        return field;
      }
      if (Atomics.load(this.done, 1) !== 0) this.stop();
      const claim = this.slots?.find((s) => s.keys.has(key))?.keys.get(key);
      if (this.broken || claim === undefined) return undefined;
      if (Atomics.compareExchange(this.claims, claim, UNCLAIMED, CALLER) === UNCLAIMED) {
        this.unwanted.add(key);
        return undefined;
      }
      if (performance.now() > deadline) {
        this.stop();
        return undefined;
      }
      Atomics.wait(this.done, 0, seen, 100);
    }
  }

  /** Forgets the pairs `unneeded` picks: those not started are withdrawn, the others discarded when they come back. */
  drop(unneeded: (key: string) => boolean): void {
    for (const key of this.ready.keys()) if (unneeded(key)) this.ready.delete(key);
    for (const slot of this.slots ?? []) {
      for (const [key, claim] of slot.keys) {
        if (!unneeded(key)) continue;
        Atomics.compareExchange(this.claims, claim, UNCLAIMED, CALLER);
        this.unwanted.add(key);
      }
    }
  }

  /** Terminates the workers; resolves once they have exited. Later pairs are registered by the caller. */
  async close(): Promise<void> {
    this.stop();
    this.ready.clear();
    await Promise.all(this.exits);
  }

  /** A worker failed or stopped: every worker goes, and the caller registers what they held; results back stay right. */
  private stop(): void {
    this.broken = true;
    for (const slot of this.slots ?? []) {
      slot.port.close();
      void slot.worker.terminate();
    }
    this.slots = undefined;
    this.unwanted.clear();
  }

  private start(): boolean {
    if (this.slots) return true;
    if (!this.usable) return false;
    try {
      this.slots = [];
      for (let i = 0; i < this.size; i++) {
        const { port1, port2 } = new MessageChannel();
        const worker = this.spawn(
          { done: this.done.buffer as SharedArrayBuffer, claims: this.claims.buffer as SharedArrayBuffer, port: port2 },
          [port2],
        );
        this.running++;
        alive++;
        this.exits.push(
          new Promise((resolve) => worker.once('exit', resolve)).then(() => {
            this.running--;
            alive--;
          }),
        );
        const slot: Slot = { worker, port: port1, keys: new Map() };
        this.slots.push(slot);
        port1.on('message', (result: RegistrationResult) => this.arrive(slot, result));
        worker.on('error', () => this.stop());
        worker.on('exit', () => this.stop());
        // Propagation closes the pool when it ends; an unref'd worker cannot keep the process alive even if not.
        worker.unref();
        port1.unref();
      }
      return true;
    } catch {
      this.stop();
      return false;
    }
  }

  /** Takes in every result already posted, without waiting for the event loop (propagation's thread may be busy). */
  private receive(): void {
    for (const slot of this.slots ?? []) {
      for (let m = receiveMessageOnPort(slot.port); m; m = receiveMessageOnPort(slot.port)) this.arrive(slot, m.message);
    }
  }

  private arrive(slot: Slot, result: RegistrationResult): void {
    slot.keys.delete(result.key);
    if (!this.unwanted.delete(result.key) && result.error === undefined) this.ready.set(result.key, result.field);
  }
}

/** What a worker is started with: the pool's shared counters (see RegistrationPool's `done`) and its own port. */
export interface WorkerData {
  done: SharedArrayBuffer;
  claims: SharedArrayBuffer;
  port: MessagePort;
}

/**
 * Starts a registration worker from `entry`: from the sources (tests, tsx) it is TypeScript too, and needs tsx's
 * loader in its own thread; from dist/ the compiled .js. A worker that cannot load flags it in `done` at once.
 */
export function spawnRegistrationWorker(
  workerData: WorkerData,
  transferList: MessagePort[],
  entry = siblingModule(import.meta.url, 'registration-worker'),
): Worker {
  const load = workerImportCode(entry);
  const flag = `const done = new Int32Array(require('node:worker_threads').workerData.done);
    Atomics.store(done, 1, 1); Atomics.add(done, 0, 1); Atomics.notify(done, 0);`;
  return new Worker(`${load}.catch((err) => { ${flag} throw err; });`, { eval: true, workerData, transferList });
}
