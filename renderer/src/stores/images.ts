import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ApiEvent, ImageWork } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { useNoticeStore } from './notices.js';
import { useProjectStore } from './project.js';
import { useStudyStore } from './study.js';

/** Refetching the list after a burst of project events (one per predicted image) waits this long. */
const REFRESH_DELAY_MS = 200;

/**
 * The work across the images of a folder of 2D images: which are support, painted or predicted, propagation from
 * the support images to the others, and review of the predicted ones, most uncertain first.
 */
export const useImageStore = defineStore('images', () => {
  const study = useStudyStore();
  const project = useProjectStore();
  const notices = useNoticeStore();
  const images = ref<ImageWork[]>([]);
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function refresh(): Promise<void> {
    const current = study.study;
    if (!current || !study.isStack) {
      images.value = [];
      return;
    }
    const list = await notices.guard(() => api.studyImages({ studyId: current.id }));
    if (list && study.study === current) images.value = list;
  }

  watch(
    () => study.study?.id,
    () => void refresh(),
  );

  function onEvent(event: ApiEvent): void {
    const changed =
      (event.type === 'project' && event.project.studyId === study.study?.id) ||
      (event.type === 'job' && event.job.kind === 'propagate-images');
    if (!changed || !study.isStack) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), REFRESH_DELAY_MS);
  }

  const byItem = computed(() => new Map(images.value.map((w) => [w.itemId, w])));
  const support = computed(() => images.value.filter((w) => w.status === 'support'));
  const targets = computed(() => images.value.filter((w) => w.status === 'none' || w.status === 'predicted'));
  /** Predicted images, most uncertain first (in study order where there was no ensemble to disagree). */
  const review = computed(() =>
    images.value.filter((w) => w.status === 'predicted').sort((a, b) => (b.uncertainty ?? 0) - (a.uncertainty ?? 0)),
  );

  async function propagate(): Promise<void> {
    const current = study.study;
    if (!current) return;
    const { labels, first: _first, last: _last, ...settings } = project.form;
    await notices.guard(() => api.propagateImages({ studyId: current.id, ...settings, ...(labels ? { labels } : {}) }));
  }

  async function exportAll(folder: string): Promise<void> {
    const current = study.study;
    if (!current) return;
    const done = await notices.guard(() => api.exportImageMasks({ studyId: current.id, path: folder }));
    if (done) notices.push('info', `Exported ${done.written.length} mask${done.written.length === 1 ? '' : 's'} to ${done.path}`);
  }

  function stepReview(step: 1 | -1): void {
    const order = review.value;
    if (order.length === 0) return notices.push('info', 'No predicted images to review: propagate first.');
    const at = order.findIndex((w) => w.itemId === study.itemId);
    const next = at < 0 ? (step > 0 ? 0 : order.length - 1) : (at + step + order.length) % order.length;
    void study.selectItem(order[next]!.itemId, true);
  }

  /** Accepts the image on screen (it joins the support) and shows the next one to review. */
  async function acceptAndNext(): Promise<void> {
    const order = review.value;
    const at = order.findIndex((w) => w.itemId === study.itemId);
    if (project.currentStatus !== 'support') await project.setStatus(0, 'support');
    await refresh();
    const rest = review.value;
    if (rest.length > 0) await study.selectItem(rest[Math.min(Math.max(at, 0), rest.length - 1)]!.itemId, true);
  }

  return { images, byItem, support, targets, review, refresh, onEvent, propagate, exportAll, stepReview, acceptAndNext };
});
