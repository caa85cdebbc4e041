/**
 * `npm start`: builds the viewer and the main process, then launches Electron. Where Electron's binary was never
 * downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, offline machines), it says so and offers the same viewer in a browser
 * through `universeg serve`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';

const repo = path.resolve(import.meta.dirname, '..');

function electronBinary(): string | null {
  try {
    // The electron package's main export is the binary's path; it throws when the binary is absent.
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function offerServe(): Promise<number> {
  const command = 'npx universeg serve --open';
  process.stderr.write(
    'Electron is installed without its binary here (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network when it was installed).\n' +
      `The same viewer runs in your browser: ${command}\n` +
      'To get the desktop app instead: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `npm rebuild electron` with network access.\n',
  );
  if (!process.stdin.isTTY) return 1;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = (await rl.question('Start the browser viewer now? [Y/n] ')).trim().toLowerCase();
  rl.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') return 1;
  step('npm', ['run', 'build:renderer']);
  const { run } = await import('../core/cli/serve.js');
  return run(['--open']);
}

async function main(): Promise<number> {
  const binary = electronBinary();
  if (!binary) return offerServe();
  step('npm', ['run', 'build:renderer']);
  step('npx', ['tsc', '-p', 'electron/tsconfig.json']);
  const child = spawn(binary, [path.join(repo, 'dist', 'electron', 'main.js')], { cwd: repo, stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

process.exitCode = await main();
