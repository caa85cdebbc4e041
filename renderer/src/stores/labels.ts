import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { OverlayStyle } from '../viewer/compose-slice.js';

/** How label maps are drawn over the image. */
export const useLabelStore = defineStore('labels', () => {
  const style = ref<OverlayStyle>({ visible: true, opacity: 0.5, outline: false });

  function setOpacity(opacity: number): void {
    style.value = { ...style.value, opacity: Math.round(Math.max(0, Math.min(1, opacity)) * 100) / 100 };
  }
  function toggleVisible(): void {
    style.value = { ...style.value, visible: !style.value.visible };
  }
  function toggleOutline(): void {
    style.value = { ...style.value, outline: !style.value.outline };
  }

  return { style, setOpacity, toggleVisible, toggleOutline };
});
