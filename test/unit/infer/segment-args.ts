import path from 'node:path';

/**
 * `universeg segment`'s support and study options for a test folder laid out as support-images/, support-labels/
 * and the study folder `input`.
 */
export function segmentFolderArgs(dir: string, input = 'input'): string[] {
  return [
    '--support-images',
    path.join(dir, 'support-images'),
    '--support-labels',
    path.join(dir, 'support-labels'),
    '--input',
    path.join(dir, input),
  ];
}
