import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RecentStudy, Study, VolumeInfo } from '../../../core/contract/index.js';
import { api, transport } from '../client/index.js';
import { useNoticeStore } from './notices.js';
import { useProjectStore } from './project.js';
import type { Vec3, ViewName } from '../viewer/orientation.js';
import { useViewStore } from './view.js';

/** The study and item this tab showed last, so a reload of the page comes back to the work. */
const LAST_KEY = 'universeg.last';
interface LastOpened {
  path: string;
  itemId: string;
  /** Where the user was looking. */
  view?: ViewName;
  crosshair?: Vec3;
}

/** The open study, its items, the selected item's geometry, and the recent-studies list. */
export const useStudyStore = defineStore('study', () => {
  const notices = useNoticeStore();
  const study = ref<Study | null>(null);
  const recent = ref<RecentStudy[]>([]);
  const itemId = ref<string | null>(null);
  const info = ref<VolumeInfo | null>(null);
  /** What is loading, for the busy indicator; null when idle. */
  const busy = ref<string | null>(null);
  /** The folder a browser may open from (null in the desktop app: anywhere). */
  const root = ref<string | null>(null);

  const items = computed(() => study.value?.items ?? []);
  const itemIndex = computed(() => items.value.findIndex((i) => i.id === itemId.value));
  const item = computed(() => items.value[itemIndex.value] ?? null);
  /** A folder of 2D images is browsed like the slices of one volume. */
  const isStack = computed(() => items.value.length > 1 && items.value.every((i) => i.kind === 'image2d'));
  const canPick = transport.pickStudy !== undefined;

  async function connect(): Promise<void> {
    await notices.guard(async () => {
      root.value = (await api.health({})).root;
      recent.value = await api.recentStudies({});
    });
    const last = readLast();
    if (!last || study.value) return;
    await open(last.path, last.itemId);
    const view = useViewStore();
    if (itemId.value !== last.itemId) return;
    if (last.view) view.setView(last.view);
    if (last.crosshair) view.setCrosshair(last.crosshair);
  }

  function readLast(): LastOpened | null {
    try {
      const last = JSON.parse(sessionStorage.getItem(LAST_KEY) ?? 'null') as LastOpened | null;
      return last && typeof last.path === 'string' && typeof last.itemId === 'string' ? last : null;
    } catch {
      return null;
    }
  }

  /** Remembers what this tab shows, so that a reload comes back to it. */
  function remember(): void {
    // An upload has no path to reopen; it is gone with the server anyway.
    if (study.value && itemId.value && !study.value.path.includes('universeg-upload-')) {
      const { view, crosshair } = useViewStore();
      sessionStorage.setItem(LAST_KEY, JSON.stringify({ path: study.value.path, itemId: itemId.value, view, crosshair } satisfies LastOpened));
    }
  }

  async function show(opened: Study | undefined, preferredItem?: string): Promise<void> {
    if (!opened) return;
    study.value = opened;
    itemId.value = null;
    info.value = null;
    if (opened.problems.length > 0) notices.push('info', `${opened.problems.length} file(s) could not be read: ${opened.problems[0]!.message}`);
    const item = opened.items.find((i) => i.id === preferredItem) ?? opened.items[0]!;
    await selectItem(item.id);
    recent.value = (await notices.guard(() => api.recentStudies({}))) ?? recent.value;
  }

  async function withBusy<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = what;
    try {
      return await notices.guard(work);
    } finally {
      busy.value = null;
    }
  }

  async function open(path: string, preferredItem?: string): Promise<void> {
    await show(await withBusy(`Opening ${path}`, () => api.openStudy({ path })), preferredItem);
  }

  async function openDropped(transfer: DataTransfer): Promise<void> {
    await show(await withBusy('Opening dropped files', () => transport.openDropped(transfer)));
  }

  async function pickAndOpen(): Promise<void> {
    const path = await transport.pickStudy?.();
    if (path) await open(path);
  }

  /** `keepView`: stepping through a stack keeps zoom and window, as scrolling slices does. */
  async function selectItem(id: string, keepView = false): Promise<void> {
    const current = study.value;
    if (!current) return;
    const loaded = await withBusy('Loading image', () => api.getVolumeInfo({ studyId: current.id, itemId: id }));
    if (!loaded || study.value !== current) return;
    const previous = info.value;
    itemId.value = id;
    info.value = loaded;
    useViewStore().adopt(previous, loaded, keepView);
    remember();
  }

  async function stepItem(delta: number): Promise<void> {
    const next = items.value[itemIndex.value + delta];
    if (next) await selectItem(next.id, isStack.value);
  }

  async function loadLabels(path: string): Promise<void> {
    const current = info.value;
    if (!current) return;
    const labels = await withBusy(`Loading labels ${path}`, () => api.loadLabels({ studyId: current.studyId, itemId: current.itemId, path }));
    if (!labels || info.value !== current) return;
    info.value = { ...current, labels };
    await useProjectStore().reload();
  }

  return { study, recent, itemId, info, busy, root, items, itemIndex, item, isStack, canPick, connect, open, openDropped, pickAndOpen, selectItem, stepItem, loadLabels, remember };
});
