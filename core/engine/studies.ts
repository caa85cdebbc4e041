import { stat } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import path from 'node:path';
import type { Study } from '../contract/index.js';
import { readStudyItem } from '../data/read-study-item.js';
import { scanStudy, type StudyItem as ScannedItem } from '../data/scan-study.js';
import type { Volume } from '../data/volume.js';
import { ApiError } from '../contract/errors.js';
import { intensityStats, type IntensityStats } from './intensity.js';

export interface LoadedItem {
  volume: Volume;
  intensity: IntensityStats;
}

interface OpenStudy {
  study: Study;
  /** The study's folder (a single-file study: the file's folder), where its projects live. */
  dir: string;
  items: Map<string, ScannedItem>;
}

/** Studies kept open at once; older ones are forgotten (reopening one is a rescan, not an error). */
const MAX_OPEN_STUDIES = 32;
const DEFAULT_VOLUME_BUDGET = 2 * 1024 ** 3;

/**
 * The studies this engine has opened and their decoded images. Study ids are per session; item ids are
 * scanStudy's. Volumes are decoded on first use and kept within a memory budget.
 */
export class StudyRegistry {
  private studies = new Map<string, OpenStudy>();
  private volumes: LRUCache<string, LoadedItem, ScannedItem>;
  private nextId = 1;

  constructor(volumeBudgetBytes = DEFAULT_VOLUME_BUDGET) {
    this.volumes = new LRUCache({
      maxSize: volumeBudgetBytes,
      // Weighed at most the whole budget: an image larger than it still stays, alone, as the newest entry, rather
      // than being decoded again on every call (lru-cache would refuse to keep it at its real size).
      sizeCalculation: (loaded) => Math.max(1, Math.min(volumeBudgetBytes, loaded.volume.data.byteLength)),
      // Concurrent loads of one item share one fetch; a failed one is not kept.
      fetchMethod: async (_key, _stale, { context: item }) => {
        const volume = await readStudyItem(item);
        return { volume, intensity: intensityStats(volume.data) };
      },
    });
  }

  /**
   * `target` is an absolute real path already cleared by the path policy; `within`, the allowed folder holding it
   * (PathPolicy.areaOf), which the study's links and data files may not leave (null: no limit).
   */
  async open(target: string, within: string | null): Promise<Study> {
    const info = await stat(target);
    const scan = await scanStudy(target, within === null ? {} : { within });
    const id = `s${this.nextId++}`;
    const study: Study = {
      id,
      path: target,
      name: path.basename(target) || target,
      items: scan.items.map((item) => ({
        id: item.id,
        kind: item.kind,
        name: item.name,
        fileCount: item.paths.length,
        ...(item.size ? { size: item.size } : {}),
        ...(item.modality ? { modality: item.modality } : {}),
      })),
      problems: scan.problems.map((p) => ({ path: p.path, message: p.reason })),
    };
    if (study.items.length === 0) {
      const why = study.problems[0] ? `: ${study.problems[0].message}` : '';
      throw new ApiError('bad-request', `${target}: no image${info.isDirectory() ? 's in this folder' : ''} to open${why}`);
    }
    const dir = info.isDirectory() ? target : path.dirname(target);
    this.studies.set(id, { study, dir, items: new Map(scan.items.map((item) => [item.id, item])) });
    for (const old of this.studies.keys()) {
      if (this.studies.size <= MAX_OPEN_STUDIES) break;
      this.studies.delete(old);
    }
    return study;
  }

  item(studyId: string, itemId: string): ScannedItem {
    const open = this.opened(studyId);
    const item = open.items.get(itemId);
    if (!item) throw new ApiError('not-found', `study ${open.study.name} has no item ${JSON.stringify(itemId)}`);
    return item;
  }

  /** The study's items as listed when it was opened. */
  items(studyId: string): ScannedItem[] {
    return [...this.opened(studyId).items.values()];
  }

  dir(studyId: string): string {
    return this.opened(studyId).dir;
  }

  private opened(studyId: string): OpenStudy {
    const open = this.studies.get(studyId);
    if (!open) throw new ApiError('not-found', `no open study ${JSON.stringify(studyId)}: open it again`);
    return open;
  }

  async load(studyId: string, itemId: string): Promise<LoadedItem> {
    const loaded = await this.volumes.fetch(`${studyId}/${itemId}`, { context: this.item(studyId, itemId) });
    // fetch answers undefined only for a fetch aborted or one whose method returned nothing; ours does neither.
    if (!loaded) throw new Error(`decoding ${itemId} was interrupted`);
    return loaded;
  }
}
