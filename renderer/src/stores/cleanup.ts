import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { CleanupOp, CleanupPreview } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { useAnnotationStore } from './annotation.js';
import { useNoticeStore } from './notices.js';
import { useProjectStore } from './project.js';
import { useViewStore } from './view.js';

export type CleanupKind = CleanupOp['op'];
type Operation = Extract<CleanupOp, { op: 'logical' }>['operation'];

/**
 * Clean-up of one label: the engine previews what an operation would change, the viewer shows it, and Apply sends
 * the changed slices as one edit, so Undo takes it back as it takes back a stroke.
 */
export const useCleanupStore = defineStore('cleanup', () => {
  const project = useProjectStore();
  const view = useViewStore();
  const annotation = useAnnotationStore();
  const notices = useNoticeStore();

  const form = ref({
    op: 'keep-largest' as CleanupKind,
    scope: 'volume' as 'volume' | 'slice',
    minVoxels: 10,
    mm: 1,
    radius: 1,
    operation: 'add' as Operation,
    other: 0,
  });
  const preview = shallowRef<CleanupPreview | null>(null);
  const busy = ref(false);

  // A preview shows what would change in the labels it was computed on: once they change, it no longer does.
  watch(
    () => [project.project?.folder, project.project?.revision],
    () => {
      if (preview.value && preview.value.revision !== project.project?.revision) preview.value = null;
    },
  );

  function op(): CleanupOp {
    const f = form.value;
    switch (f.op) {
      case 'remove-small':
        return { op: f.op, minVoxels: f.minVoxels };
      case 'closing':
      case 'opening':
        return { op: f.op, radiusMm: f.mm };
      case 'grow':
      case 'shrink':
        return { op: f.op, marginMm: f.mm };
      case 'median':
        return { op: f.op, radius: f.radius };
      case 'logical':
        return { op: f.op, operation: f.operation, other: f.other };
      default:
        return { op: f.op };
    }
  }

  async function showPreview(): Promise<void> {
    const p = project.project;
    const g = view.geometry;
    if (!p || !g) return;
    const scope =
      form.value.scope === 'volume' ? { scope: 'volume' as const } : { scope: 'slice' as const, axis: g.sliceAxis, index: view.sliceIndex };
    busy.value = true;
    try {
      const next = await notices.guard(() =>
        api.previewCleanup({ studyId: p.studyId, itemId: p.itemId, label: project.activeValue, op: op(), scope }),
      );
      preview.value = next ?? null;
      if (next?.slices.length === 0) notices.push('info', 'This clean-up changes nothing');
      else if (next && !shown.value) project.showSlice(next.slices[0]!.index);
    } finally {
      busy.value = false;
    }
  }

  async function apply(): Promise<void> {
    const p = preview.value;
    if (!p || !project.project) return;
    preview.value = null;
    const axis = p.axis;
    const statusOf = (index: number) => (axis === project.project?.axis ? project.statusOf(index) : 'painted');
    await annotation.commitAll(
      p.slices.map((s) => ({
        axis,
        index: s.index,
        width: p.width,
        height: p.height,
        before: s.before,
        after: s.after,
        beforeStatus: statusOf(s.index),
      })),
    );
  }

  /** The previewed labels of the slice on screen, when the preview changes it. */
  const shown = computed(() => {
    const p = preview.value;
    const g = view.geometry;
    if (!p || !g || g.sliceAxis !== p.axis) return null;
    return p.slices.find((s) => s.index === view.sliceIndex) ?? null;
  });

  return { form, preview, busy, shown, showPreview, apply, discard: () => (preview.value = null) };
});
