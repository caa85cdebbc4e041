import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import {
  DEFAULT_PROPAGATION,
  newSegment,
  type ApiEvent,
  type ModelInfo,
  type Project,
  type PropagationSettings,
  type SegmentDef,
  type SliceStatus,
} from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { useNoticeStore } from './notices.js';
import { useStudyStore } from './study.js';
import { useViewStore } from './view.js';

/**
 * The work on the selected item, as the engine keeps and saves it: labels, which slices are support, painted or
 * predicted, the review order. Every change comes back from the engine (or as an event while a job runs).
 */
export const useProjectStore = defineStore('project', () => {
  const study = useStudyStore();
  const view = useViewStore();
  const notices = useNoticeStore();
  /** Recoveries of interrupted saves already told, by project folder. */
  const recoveriesShown = new Set<string>();
  const project = ref<Project | null>(null);
  /** The label value the painting tools paint. */
  const activeValue = ref(1);
  const showUncertainty = ref(false);
  /** Weights this item can propagate with (the default, and those fine-tuned on it). */
  const models = ref<ModelInfo[]>([]);
  /**
   * The propagation to run next: the project's last settings until the user changes them; labels null: all;
   * first and last: the slices to predict, counted from 1 as the viewer shows them (empty: all). The defaults
   * here only hold the place until a project loads with its own settings.
   */
  const form = ref<PropagationSettings & { labels: number[] | null; first: number | ''; last: number | '' }>({
    ...DEFAULT_PROPAGATION,
    labels: null,
    first: '',
    last: '',
  });

  watch(
    () => study.info,
    async (info, previous) => {
      if (info?.studyId === previous?.studyId && info?.itemId === previous?.itemId) return;
      project.value = null;
      showUncertainty.value = false;
      const loaded = await reload();
      if (loaded) form.value = { ...loaded.propagation, labels: null, first: '', last: '' };
      await loadModels();
    },
  );
  // A label file replaced the item's labels wholesale: the engine's project has them now.
  watch(
    () => study.labelsLoaded,
    () => void reload(),
  );

  /** Fetches the item's project afresh (after something replaced it wholesale, such as loading a label file). */
  async function reload(): Promise<Project | null> {
    const info = study.info;
    if (!info) return null;
    const loaded = await notices.guard(() => api.getProject({ studyId: info.studyId, itemId: info.itemId }));
    if (!loaded || study.info?.studyId !== info.studyId || study.info?.itemId !== info.itemId) return null;
    project.value = null;
    adopt(loaded);
    return loaded;
  }

  /** Takes a newer state of the item's project (a reply or an event; an older one arriving late is ignored). */
  function adopt(next: Project): void {
    const current = project.value;
    const info = study.info;
    if (!info) return;
    const mine = current ? next.folder === current.folder : next.studyId === info.studyId && next.itemId === info.itemId;
    if (!mine || (current && next.revision < current.revision)) return;
    // The engine names the item as it was last reached; this page knows it by its own ids.
    project.value = { ...next, studyId: info.studyId, itemId: info.itemId };
    if (!next.segments.some((s) => s.value === activeValue.value) && next.segments[0]) activeValue.value = next.segments[0].value;
    if (current?.saveError !== next.saveError && next.saveError) notices.push('error', next.saveError);
    // Said once per project: a reload of the same project shows the same recovery again.
    if (next.recovery && !recoveriesShown.has(`${next.folder}\n${next.recovery}`)) {
      recoveriesShown.add(`${next.folder}\n${next.recovery}`);
      notices.push('info', next.recovery);
    }
  }

  function onEvent(event: ApiEvent): void {
    if (event.type === 'project') {
      const before = project.value?.model.path;
      adopt(event.project);
      if (project.value && project.value.model.path !== before) void loadModels();
    }
  }

  async function loadModels(): Promise<void> {
    const r = ref_();
    models.value = (r && (await notices.guard(() => api.listModels(r)))) || [];
  }

  async function setModel(path: string): Promise<void> {
    const r = ref_();
    if (r) await call(() => api.setModel({ ...r, path }));
  }

  async function train(steps: number, name: string): Promise<void> {
    const r = ref_();
    if (r) await notices.guard(() => api.train({ ...r, steps, name }));
  }

  const sets = computed(() => ({
    support: new Set(project.value?.support ?? []),
    painted: new Set(project.value?.painted ?? []),
    predicted: new Set(project.value?.predicted ?? []),
  }));

  function statusOf(index: number): SliceStatus {
    const s = sets.value;
    return s.support.has(index) ? 'support' : s.painted.has(index) ? 'painted' : s.predicted.has(index) ? 'predicted' : 'none';
  }

  /** The slice on screen, when the view cuts across the project axis (support and review work on those). */
  const currentSlice = computed(() => (project.value && view.geometry?.sliceAxis === project.value.axis ? view.sliceIndex : null));
  const currentStatus = computed(() => (currentSlice.value === null ? null : statusOf(currentSlice.value)));
  const segments = computed(() => project.value?.segments ?? []);
  const active = computed(() => segments.value.find((s) => s.value === activeValue.value) ?? null);

  /** A label as the project names and colours it; one it does not list yet (on a support image, say) as it would be created. */
  function segmentOf(value: number): SegmentDef {
    return segments.value.find((s) => s.value === value) ?? newSegment(value);
  }

  async function call(work: () => Promise<Project>): Promise<Project | undefined> {
    const next = await notices.guard(work);
    if (next) adopt(next);
    return next;
  }

  function ref_() {
    const p = project.value;
    return p ? { studyId: p.studyId, itemId: p.itemId } : null;
  }

  async function setStatus(index: number, status: SliceStatus): Promise<void> {
    const r = ref_();
    if (r) await call(() => api.setSliceStatus({ ...r, index, status }));
  }

  /** Mark or unmark the slice on screen as support; marking a predicted slice accepts the prediction. */
  async function toggleSupport(): Promise<void> {
    const index = currentSlice.value;
    if (index === null) return notices.push('info', 'Support slices are cut across the project axis: switch to the view that shows them.');
    await setStatus(index, statusOf(index) === 'support' ? 'none' : 'support');
  }

  async function setSegments(next: SegmentDef[]): Promise<void> {
    const r = ref_();
    if (r) await call(() => api.setSegments({ ...r, segments: next }));
  }

  async function updateSegment(value: number, change: Partial<SegmentDef>): Promise<void> {
    await setSegments(segments.value.map((s) => (s.value === value ? { ...s, ...change } : s)));
  }

  async function addSegment(): Promise<void> {
    const used = new Set(segments.value.map((s) => s.value));
    let value = 1;
    while (used.has(value) && value < 255) value++;
    if (used.has(value)) return notices.push('error', 'all 255 label values are in use');
    await setSegments([...segments.value, newSegment(value)]);
    activeValue.value = value;
  }

  async function removeSegment(value: number): Promise<void> {
    await setSegments(segments.value.filter((s) => s.value !== value));
  }

  async function propagate(): Promise<void> {
    const r = ref_();
    if (!r) return;
    const { labels, first, last, ...settings } = form.value;
    const chosen = labels?.filter((v) => project.value?.supportCounts.some((c) => c.value === v && c.slices > 0));
    const count = view.image?.size[project.value!.axis] ?? 1;
    const slices = first === '' && last === '' ? undefined : { from: (first || 1) - 1, to: (last || count) - 1 };
    await notices.guard(() => api.propagate({ ...r, ...settings, ...(chosen ? { labels: chosen } : {}), ...(slices ? { slices } : {}) }));
  }

  async function exportLabels(path: string): Promise<void> {
    const r = ref_();
    if (!r) return;
    const done = await notices.guard(() => api.exportLabels({ ...r, path }));
    if (done) notices.push('info', `Exported to ${done.path}`);
  }

  /** Steps through the predicted slices, most uncertain first, showing each. */
  function review(step: 1 | -1): void {
    const order = project.value?.review ?? [];
    if (order.length === 0) return notices.push('info', 'No predicted slices to review: propagate first.');
    if (view.geometry?.sliceAxis !== project.value!.axis) view.setView(axisView());
    const at = order.findIndex((r) => r.index === currentSlice.value);
    const next = at < 0 ? (step > 0 ? 0 : order.length - 1) : (at + step + order.length) % order.length;
    view.setSlice(order[next]!.index);
  }

  /** Shows a slice along the project axis (the one propagation suggests painting next, say). */
  function showSlice(index: number): void {
    if (view.geometry?.sliceAxis !== project.value?.axis) view.setView(axisView());
    view.setSlice(index);
  }

  /**
   * Sets the slices (0-based, inclusive) a label may be predicted on, or with null hands them back to the
   * engine's estimate; the next propagation uses them.
   */
  function setExtent(value: number, extent: [number, number] | null): void {
    const others = form.value.extents.filter((e) => e.value !== value);
    form.value.extents = extent
      ? [...others, { value, from: Math.min(...extent), to: Math.max(...extent) }].sort((a, b) => a.value - b.value)
      : others;
  }

  /** Accepts the prediction on screen (it joins the support) and moves to the next slice to review. */
  async function acceptAndNext(): Promise<void> {
    const index = currentSlice.value;
    if (index === null || statusOf(index) === 'support') return review(1);
    const order = project.value?.review ?? [];
    const at = order.findIndex((r) => r.index === index);
    await setStatus(index, 'support');
    const rest = project.value?.review ?? [];
    if (rest.length > 0) view.setSlice(rest[Math.min(Math.max(at, 0), rest.length - 1)]!.index);
  }

  /** The view whose slices are cut across the project axis. */
  function axisView() {
    const axis = project.value?.axis ?? 2;
    return (['axial', 'coronal', 'sagittal'] as const).find((name) => view.viewSliceAxis(name) === axis) ?? 'axial';
  }

  return {
    project,
    activeValue,
    showUncertainty,
    form,
    models,
    segments,
    active,
    segmentOf,
    currentSlice,
    currentStatus,
    adopt,
    reload,
    onEvent,
    statusOf,
    setStatus,
    toggleSupport,
    setSegments,
    updateSegment,
    addSegment,
    removeSegment,
    propagate,
    exportLabels,
    loadModels,
    setModel,
    train,
    review,
    acceptAndNext,
    axisView,
    showSlice,
    setExtent,
  };
});
