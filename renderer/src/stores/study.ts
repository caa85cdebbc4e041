import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RecentStudy, Study, VolumeInfo } from '../../../core/contract/index.js';
import { api, transport } from '../client/index.js';
import { useNoticeStore } from './notices.js';

/** One selection of an item: what was shown before it, and whether the view is to be kept (stepping a stack). */
export interface Selection {
  previous: VolumeInfo | null;
  info: VolumeInfo;
  keepView: boolean;
}

/**
 * The open study, its items, the selected item's geometry, and the recent-studies list. The other stores follow
 * this one (the view adopts each selection, the project refetches when labels are loaded); it imports none of them.
 */
export const useStudyStore = defineStore('study', () => {
  const notices = useNoticeStore();
  const study = ref<Study | null>(null);
  const recent = ref<RecentStudy[]>([]);
  const itemId = ref<string | null>(null);
  const info = ref<VolumeInfo | null>(null);
  /** The latest selection, for the view to adopt. */
  const selection = shallowRef<Selection | null>(null);
  /** Bumped when a label file replaced the selected item's labels, for the project to fetch them afresh. */
  const labelsLoaded = ref(0);
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

  /** The engine's root folder and the recent studies. */
  async function connect(): Promise<void> {
    await notices.guard(async () => {
      root.value = (await api.health({})).root;
      recent.value = await api.recentStudies({});
    });
  }

  async function show(opened: Study | undefined, preferredItem?: string): Promise<void> {
    if (!opened) return;
    study.value = opened;
    itemId.value = null;
    info.value = null;
    if (opened.problems.length > 0)
      notices.push('info', `${opened.problems.length} file(s) could not be read: ${opened.problems[0]!.message}`);
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
    selection.value = { previous, info: loaded, keepView };
  }

  async function stepItem(delta: number): Promise<void> {
    const next = items.value[itemIndex.value + delta];
    if (next) await selectItem(next.id, isStack.value);
  }

  async function loadLabels(path: string): Promise<void> {
    const current = info.value;
    if (!current) return;
    const labels = await withBusy(`Loading labels ${path}`, () =>
      api.loadLabels({ studyId: current.studyId, itemId: current.itemId, path }),
    );
    if (!labels || info.value !== current) return;
    info.value = { ...current, labels };
    labelsLoaded.value++;
  }

  return {
    study,
    recent,
    itemId,
    info,
    selection,
    labelsLoaded,
    busy,
    root,
    items,
    itemIndex,
    item,
    isStack,
    canPick,
    connect,
    open,
    openDropped,
    pickAndOpen,
    selectItem,
    stepItem,
    loadLabels,
  };
});
