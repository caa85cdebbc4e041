import { defineStore } from 'pinia';
import { ref } from 'vue';

/** State of the interface itself: open dialogs, what is under the crosshair, the last render time. */
export const useUiStore = defineStore('ui', () => {
  const helpOpen = ref(false);
  const openDialog = ref(false);
  const renderMs = ref<number | null>(null);
  /** Grey value and label at the crosshair, read from the slice on screen. */
  const readout = ref<{ value: number; label: number | null } | null>(null);
  return { helpOpen, openDialog, renderMs, readout };
});
