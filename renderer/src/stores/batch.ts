import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { QUICK_REGISTRATION, type ApiEvent, type BatchReport, type BatchVolume } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { useNoticeStore } from './notices.js';
import { useStudyStore } from './study.js';

/** A segmented volume in the review queue: its worst label by estimated Dice, and its most uncertain one. */
export interface ReviewEntry {
  itemId: string;
  output: string;
  dice: number | null;
  uncertainty: number | null;
}

/**
 * "Segment the rest" of a study of volumes: the batch job's volumes as they go, its report, and the review queue
 * built from it (worst estimated Dice first; most uncertain first where there is no estimate).
 */
export const useBatchStore = defineStore('batch', () => {
  const study = useStudyStore();
  const notices = useNoticeStore();
  const volumes = ref<BatchVolume[]>([]);
  const report = ref<BatchReport | null>(null);
  const quick = ref(false);

  /** Several volumes (or series) in the study: the batch has something to segment from the labelled ones. */
  const applies = computed(() => study.items.filter((i) => i.kind !== 'image2d').length > 1);

  async function refresh(): Promise<void> {
    const current = study.study;
    if (!current || !applies.value) {
      report.value = null;
      return;
    }
    const read = await notices.guard(() => api.batchReport({ studyId: current.id }));
    if (study.study === current) report.value = read ?? null;
  }

  watch(
    () => study.study?.id,
    () => {
      volumes.value = [];
      void refresh();
    },
  );

  function onEvent(event: ApiEvent): void {
    const studyId = study.study?.id;
    if (event.type === 'batch' && event.studyId === studyId) {
      const at = volumes.value.findIndex((v) => v.itemId === event.volume.itemId);
      volumes.value = at >= 0 ? volumes.value.map((v, n) => (n === at ? event.volume : v)) : [...volumes.value, event.volume];
    } else if (
      event.type === 'job' &&
      event.job.kind === 'segment-volumes' &&
      event.job.studyId === studyId &&
      ['done', 'failed', 'cancelled'].includes(event.job.state)
    ) {
      void refresh();
    }
  }

  async function segmentRest(): Promise<void> {
    const current = study.study;
    if (!current) return;
    const started = await notices.guard(() =>
      api.segmentRest({ studyId: current.id, ...(quick.value ? { registration: QUICK_REGISTRATION } : {}) }),
    );
    if (started && study.study === current) volumes.value = started.volumes;
  }

  const review = computed((): ReviewEntry[] => {
    const byItem = new Map<string, ReviewEntry>();
    for (const row of report.value?.rows ?? []) {
      if (row.status === 'skipped' || !row.itemId || !row.output) continue;
      const entry = byItem.get(row.itemId) ?? { itemId: row.itemId, output: row.output, dice: null, uncertainty: null };
      if (row.estimatedDice !== null) entry.dice = Math.min(entry.dice ?? 1, row.estimatedDice);
      if (row.meanUncertainty !== null) entry.uncertainty = Math.max(entry.uncertainty ?? 0, row.meanUncertainty);
      byItem.set(row.itemId, entry);
    }
    return [...byItem.values()].sort((a, b) => (a.dice ?? 2) - (b.dice ?? 2) || (b.uncertainty ?? 0) - (a.uncertainty ?? 0));
  });

  /** Shows a segmented volume with its result as its labels, to correct it (a corrected volume is support next time). */
  async function open(entry: ReviewEntry): Promise<void> {
    await study.selectItem(entry.itemId);
    if (study.itemId === entry.itemId) await study.loadLabels(entry.output);
  }

  return { volumes, report, quick, applies, refresh, onEvent, segmentRest, review, open };
});
