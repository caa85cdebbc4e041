import fs from 'node:fs/promises';
import path from 'node:path';
import { scanStudy, type ScanStudyResult, type StudyItem, type StudyProblem } from '../data/scan-study.js';
import { outputPaths } from './output-paths.js';
import { takeShard, type Shard } from './shard.js';

/** One shard of a study to segment: what the scan found, where each item's output goes, this shard's part. */
export interface StudyShard {
  scan: ScanStudyResult;
  /** Output file of every scanned item (not only this shard's), by item id, under `out`. */
  outputs: Map<string, string>;
  /** This shard's items, in path order. */
  items: StudyItem[];
  /** This shard's unreadable files, in path order. */
  problems: StudyProblem[];
}

/**
 * Scans `input` (a folder or one file) and takes this shard's part. Unreadable files are shard members like
 * images, so that each shard reports its own.
 */
export async function scanStudyShard(
  input: string,
  out: string,
  shard: Shard | undefined,
  scanOptions: Parameters<typeof scanStudy>[1] = {},
): Promise<StudyShard> {
  const scan = await scanStudy(input, scanOptions);
  const root = (await fs.stat(input)).isDirectory() ? path.resolve(input) : path.dirname(path.resolve(input));
  const outputs = outputPaths(scan.items, root, out);
  const entries: ({ item: StudyItem } | { problem: StudyProblem })[] = [
    ...scan.items.map((item) => ({ item })),
    ...scan.problems.map((problem) => ({ problem })),
  ].sort((a, b) => (firstPath(a) < firstPath(b) ? -1 : 1));
  const mine = takeShard(entries, shard);
  return {
    scan,
    outputs,
    items: mine.flatMap((e) => ('item' in e ? [e.item] : [])),
    problems: mine.flatMap((e) => ('problem' in e ? [e.problem] : [])),
  };
}

function firstPath(e: { item: StudyItem } | { problem: StudyProblem }): string {
  return 'item' in e ? e.item.paths[0]! : e.problem.path;
}
