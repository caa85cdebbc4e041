import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RecentStudySchema, type RecentStudy } from '../contract/index.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

const MAX_RECENT = 12;

/** Recently opened studies, kept in a small JSON file so the list survives restarts (and random serve ports). */
export interface RecentStudies {
  list(): Promise<RecentStudy[]>;
  remember(entry: RecentStudy): Promise<void>;
}

export function recentStudiesFile(file: string): RecentStudies {
  // Writes are chained so two studies opened at once cannot interleave read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<RecentStudy[]> {
    const text = await readFile(file, 'utf8').catch(() => '[]');
    try {
      const parsed = z.array(RecentStudySchema).safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return []; // A corrupt list is not worth refusing to start over.
    }
  }

  return {
    list: () => read(),
    remember(entry) {
      const next = queue.then(async () => {
        const others = (await read()).filter((r) => r.path !== entry.path);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, JSON.stringify([entry, ...others].slice(0, MAX_RECENT), null, 2));
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Per-user settings folder, as each OS expects it (Electron passes its own app.getPath('userData') instead). */
export function defaultRecentFile(env: NodeJS.ProcessEnv = process.env, home = env.HOME ?? env.USERPROFILE ?? '.'): string {
  const configHome =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  return path.join(configHome, 'universeg', 'recent-studies.json');
}
