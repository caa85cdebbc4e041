import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** Messages for the user: every failed call ends up here, in the engine's own words. */
export const useNoticeStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  function push(kind: Notice['kind'], text: string): void {
    const id = nextId++;
    notices.value = [...notices.value.slice(-4), { id, kind, text }];
    setTimeout(() => dismiss(id), kind === 'error' ? 12_000 : 4_000);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  /** Runs `work`, reporting its failure instead of throwing; resolves to undefined when it failed. */
  async function guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      push('error', err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  return { notices, push, dismiss, guard };
});
