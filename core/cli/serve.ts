import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDispatch, settle } from '../engine/dispatch.js';
import { createEventBus, type ApiEvents } from '../engine/event-bus.js';
import { createEngine } from '../engine/handlers.js';
import { confinedPaths } from '../engine/paths.js';
import { defaultRecentFile, recentStudiesFile } from '../engine/recent.js';
import { createUploadArea } from '../engine/upload.js';
import { guardProcess } from '../server/crash-guard.js';
import { createHttpHost } from '../server/http-host.js';
import type { HostLimits } from '../server/limits.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { unexpectedFault, type FaultLog } from '../server/public-error.js';
import { newToken } from '../server/token.js';

const USAGE = `usage: universeg serve [--port P] [--root DIR] [--model FILE] [--open]

Serves the viewer and the engine's API on http://127.0.0.1 only, for a browser on this machine
(or through an SSH tunnel). Prints the URL, with its one-time token, as the first line.
  --port P      port to listen on (default 0: any free port)
  --root DIR    the only folder whose files may be opened or written (default: the current folder)
  --model FILE  weights to propagate with (default: assets/models/universeg-default.safetensors)
  --open        open the URL in the default browser`;

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  /** False when renderer/dist is missing: the API works, the page says how to build the viewer. */
  viewerBuilt: boolean;
  events: ApiEvents;
  /** Writes every pending project save, leaving the server running. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const stderrLog: FaultLog = (line) => void process.stderr.write(`${line}\n`);

/** Starts the host in this process (tests and `run` use it); `root` must be an existing folder. */
export async function startServer(options: {
  port: number;
  root: string;
  staticDir?: string | null;
  recentFile?: string;
  modelPath?: string;
  limits?: Partial<HostLimits>;
  /** Where faults go with their full detail (default: stderr); clients get only their id. */
  log?: FaultLog;
}): Promise<RunningServer> {
  const token = newToken();
  const events = createEventBus();
  const uploads = createUploadArea();
  const appRoot = packageRoot();
  const engine = createEngine({
    paths: confinedPaths(options.root),
    recent: recentStudiesFile(options.recentFile ?? defaultRecentFile()),
    uploads,
    events,
    version: packageVersion(appRoot),
    ...(options.modelPath ? { modelPath: options.modelPath } : {}),
  });
  const built = path.join(appRoot, 'renderer', 'dist');
  const staticDir = options.staticDir !== undefined ? options.staticDir : existsSync(path.join(built, 'index.html')) ? built : null;
  const log = options.log ?? stderrLog;
  const unexpected = unexpectedFault(log);
  const host = createHttpHost({
    dispatch: createDispatch(engine.handlers, unexpected),
    receiveUpload: (frame) => settle('uploadStudy', async () => engine.openUpload(await uploads.receive(frame)), unexpected),
    events,
    token,
    staticDir,
    userFolders: [...new Set([path.resolve(options.root), await realpath(options.root)])],
    log,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    host.server.once('error', reject);
    host.server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (host.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    viewerBuilt: staticDir !== null,
    events,
    flush: () => engine.flush(),
    async close() {
      await host.close();
      await engine.close();
      await uploads.dispose();
    },
  };
}

export async function run(args: string[]): Promise<number> {
  let values: { port?: string; root?: string; model?: string; open?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        root: { type: 'string' },
        model: { type: 'string' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port ${values.port}: expected a whole number 0..65535\n`);
    return 2;
  }
  const root = path.resolve(values.root ?? process.cwd());
  if (!(await stat(root).catch(() => null))?.isDirectory()) {
    process.stderr.write(`--root ${root}: no such folder\n`);
    return 2;
  }

  const modelPath = values.model ? path.resolve(values.model) : undefined;
  if (modelPath && !(await stat(modelPath).catch(() => null))?.isFile()) {
    process.stderr.write(`--model ${modelPath}: no such file\n`);
    return 2;
  }

  let server: RunningServer;
  try {
    server = await startServer({ port, root, modelPath });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE' ? `port ${port} is in use: pick another with --port, or 0 for any\n` : `${(err as Error).message}\n`,
    );
    return 1;
  }
  // The first stdout line is the contract with scripts and tests that start us: keep it first and exact.
  process.stdout.write(`Listening on ${server.url}\n`);
  process.stderr.write(`Serving files under ${root}. Press Ctrl+C to stop.\n`);
  if (!server.viewerBuilt) {
    process.stderr.write('The viewer is not built (renderer/dist): run `npm run build:renderer`; the API works meanwhile.\n');
  }
  if (values.open) openInBrowser(server.url);
  const unguard = guardProcess(stderrLog, () => server.flush());

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  unguard();
  await server.close();
  return 0;
}

function openInBrowser(url: string): void {
  const [command, ...args] =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`could not start a browser; open ${url} yourself\n`));
  child.unref();
}
