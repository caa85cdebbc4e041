import { defineStore } from 'pinia';
import { watch } from 'vue';
import type { Vec3, ViewName } from '../viewer/orientation.js';
import { useStudyStore } from './study.js';
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

/** What this tab remembers across a reload (a small string in its sessionStorage): study, item, view, crosshair. */
export const useSessionStore = defineStore('session', () => {
  const study = useStudyStore();
  const view = useViewStore();

  // Selecting, scrolling and changing views are all remembered.
  watch([() => study.study, () => study.itemId, () => view.crosshair, () => view.view], remember);

  /** Connects to the engine and, unless a study is open already, reopens what this tab showed last. */
  async function connect(): Promise<void> {
    await study.connect();
    const last = readLast();
    if (!last || study.study) return;
    await study.open(last.path, last.itemId);
    if (study.itemId !== last.itemId) return;
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

  function remember(): void {
    const opened = study.study;
    // An upload has no path to reopen; it is gone with the server anyway.
    if (opened && study.itemId && !opened.path.includes('universeg-upload-')) {
      const last: LastOpened = { path: opened.path, itemId: study.itemId, view: view.view, crosshair: view.crosshair };
      sessionStorage.setItem(LAST_KEY, JSON.stringify(last));
    }
  }

  return { connect };
});
