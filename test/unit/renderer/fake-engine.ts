/**
 * The renderer's stores under Node: a fake preload bridge (the page's `window.universeg`) answering from
 * per-test handlers, and a sessionStorage. Import this module before any store: the client picks its transport
 * when it is first imported.
 */
import { afterEach, beforeEach, mock } from 'node:test';
import { createPinia, setActivePinia } from 'pinia';
import type { ApiEvent, ApiMethod, ApiReply, ImageWork, Project, Study, VolumeInfo } from '../../../core/contract/index.js';
import type { UniversegBridge } from '../../../core/contract/desktop-bridge.js';

type Handler = (params: Record<string, unknown>) => unknown;

/** What the engine answers, per method; a method without a handler fails as the engine would fail a bug. */
export const engine = {
  handlers: {} as Partial<Record<ApiMethod, Handler>>,
  calls: [] as { method: ApiMethod; params: Record<string, unknown> }[],
  listeners: new Set<(event: ApiEvent) => void>(),
  reset(handlers: Partial<Record<ApiMethod, Handler>>): void {
    this.handlers = handlers;
    this.calls = [];
  },
  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  },
  callsOf(method: ApiMethod): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  },
};

const bridge: UniversegBridge = {
  async invoke(method: ApiMethod, params: unknown): Promise<ApiReply> {
    engine.calls.push({ method, params: params as Record<string, unknown> });
    const handler = engine.handlers[method];
    if (!handler) return { ok: false, error: { code: 'internal', message: `the fake engine has no ${method}` } };
    try {
      return { ok: true, value: await handler(params as Record<string, unknown>) };
    } catch (err) {
      return { ok: false, error: { code: 'bad-request', message: (err as Error).message } };
    }
  },
  onEvent(listener) {
    engine.listeners.add(listener);
    return () => engine.listeners.delete(listener);
  },
  onCommand: () => () => undefined,
  pickStudy: async () => null,
  grantDropped: async () => null,
};

class MemoryStorage {
  private values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
  clear(): void {
    this.values.clear();
  }
}

export const storage = new MemoryStorage();
Object.assign(globalThis, { window: { universeg: bridge }, sessionStorage: storage });

/** Lets watchers and the calls they start run to the end. */
export async function settle(): Promise<void> {
  for (let n = 0; n < 10; n++) await new Promise((resolve) => setImmediate(resolve));
}

export function study(id: string, kind: 'volume' | 'image2d', itemIds: string[], path = `/data/${id}`): Study {
  return { id, path, name: id, items: itemIds.map((item) => ({ id: item, kind, name: item, fileCount: 1 })), problems: [] };
}

export function volumeInfo(studyId: string, itemId: string, size: [number, number, number] = [10, 12, 8], p1 = 0, p99 = 100): VolumeInfo {
  return {
    studyId,
    itemId,
    size,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: size[2] === 1 ? 2 : 3,
    intensity: { min: p1, max: p99, p1, p99 },
    labels: null,
  };
}

export function project(studyId: string, itemId: string, change: Partial<Project> = {}): Project {
  return {
    studyId,
    itemId,
    path: null,
    labels: [],
    folder: `/data/${studyId}/.universeg/${itemId}`,
    axis: 2,
    segments: [{ value: 1, name: 'Label 1', color: [255, 0, 0], visible: true, locked: false }],
    support: [],
    painted: [],
    predicted: [],
    review: [],
    supportCounts: [],
    hasUncertainty: false,
    propagation: { supportSize: 8, ensemble: 1, seed: 0, networkWeight: 0.4, extents: [] },
    propagationReport: null,
    model: { name: 'default', path: '/models/default.safetensors' },
    revision: 1,
    savedAt: null,
    saveError: null,
    recovery: null,
    ...change,
  };
}

export function imageWork(itemId: string, status: ImageWork['status'], change: Partial<ImageWork> = {}): ImageWork {
  return { itemId, status, labels: status === 'none' ? [] : [1], uncertainty: null, revision: 1, ...change };
}

/** An engine holding one study whose items all answer with the same geometry and an empty project. */
export function openableStudy(opened: Study, size?: [number, number, number]): Partial<Record<ApiMethod, Handler>> {
  return {
    health: () => ({ ok: true, version: 'test', apiVersion: 1, root: null }),
    recentStudies: () => [],
    openStudy: () => opened,
    getVolumeInfo: (p) => volumeInfo(p.studyId as string, p.itemId as string, size),
    getProject: (p) => project(p.studyId as string, p.itemId as string),
    listModels: () => [{ name: 'default', path: '/models/default.safetensors' }],
    studyImages: () => opened.items.map((i) => imageWork(i.id, 'none')),
  };
}

/** Each test gets its own stores; notices' and debounces' timers run only when a test ticks them. */
export function freshStores(): void {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    setActivePinia(createPinia());
  });
  afterEach(() => mock.timers.reset());
}
