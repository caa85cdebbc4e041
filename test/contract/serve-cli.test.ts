import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { packageVersion } from '../../core/util/package-root.js';
import { FIXTURES } from './harness.js';

const repo = path.resolve(import.meta.dirname, '../..');

/** `universeg serve ARGS` as a process (core/cli/serve.ts's run(), started the way core/cli.ts will start it). */
function serve(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', `import('./core/cli/serve.ts').then((m) => m.run(${JSON.stringify(args)})).then((c) => process.exit(c))`],
    {
      cwd: repo,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(repo, 'test-results', 'serve-cli-config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const firstLine = new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { child, exit, firstLine, stderr: () => stderr };
}

test('prints the URL with its token as the first line, answers on it, and stops cleanly on SIGTERM', async () => {
  const server = serve(['--root', FIXTURES, '--port', '0']);
  const line = await server.firstLine;
  const match = /^Listening on http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{43})$/.exec(line);
  assert.ok(match, `first line was ${JSON.stringify(line)}`);
  const [, port, token] = match;
  const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
  assert.deepEqual(await health.json(), { ok: true, version: packageVersion(), apiVersion: 1, root: FIXTURES });
  assert.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 401);
  server.child.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});

test('each launch has its own token', async () => {
  const a = serve(['--root', FIXTURES]);
  const b = serve(['--root', FIXTURES]);
  const [lineA, lineB] = await Promise.all([a.firstLine, b.firstLine]);
  assert.notEqual(lineA.split('token=')[1], lineB.split('token=')[1]);
  a.child.kill('SIGTERM');
  b.child.kill('SIGTERM');
  await Promise.all([a.exit, b.exit]);
});

test('bad arguments: usage on stderr, exit status 2', async () => {
  for (const [args, message] of [
    [['--port', 'eighty'], /--port eighty: expected a whole number 0\.\.65535/],
    [['--root', path.join(FIXTURES, 'no-such-folder')], /no-such-folder: no such folder/],
    [['--verbose'], /Unknown option '--verbose'[\s\S]*usage: universeg serve/],
  ] as const) {
    const server = serve([...args]);
    assert.equal(await server.exit, 2, args.join(' '));
    assert.match(server.stderr(), message);
  }
});
