import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running `universeg serve`: its URL with the per-launch token, and how to stop it. */
export interface ServeProcess {
  url: string;
  server: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * Starts `universeg serve ARGS` from the repository at `repo` with its recent-studies list in `configHome` (a
 * throwaway folder, never the user's), and waits for its first line, `Listening on URL`. From the sources (tsx)
 * for the tests, so that they need no build of core/; from dist/ as a user runs it otherwise.
 */
export async function startServe(
  repo: string,
  args: readonly string[],
  options: { configHome: string; from: 'sources' | 'dist' },
): Promise<ServeProcess> {
  const command =
    options.from === 'dist'
      ? ['bin/universeg.js', 'serve', ...args]
      : ['--import', 'tsx', '-e', `import('./core/cli/serve.ts').then((m) => m.run(${JSON.stringify(args)})).then((c) => process.exit(c))`];
  const server = spawn(process.execPath, command, {
    cwd: repo,
    env: { ...process.env, XDG_CONFIG_HOME: options.configHome },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('universeg serve printed nothing within 30 s')), 30_000);
      createInterface({ input: server.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      server.once('exit', (code) => reject(new Error(`universeg serve exited with ${code} before listening`)));
    });
    const match = /^Listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(firstLine);
    if (!match) throw new Error(`unexpected first line from universeg serve: ${firstLine}`);
    return { url: match[1]!, server, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
