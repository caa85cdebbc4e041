/**
 * Electron's main process: hosts the engine (core/) in-process and shows the renderer in one hardened window.
 * Everything the page can do goes through the contract (ipc.ts -> core/contract); the page has no Node.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatch } from '../core/engine/dispatch.js';
import { createDispatch } from '../core/engine/dispatch.js';
import { createEventBus } from '../core/engine/event-bus.js';
import { createEngine } from '../core/engine/handlers.js';
import { JobQueue } from '../core/engine/job-queue.js';
import type { PathPolicy } from '../core/engine/paths.js';
import { recentStudiesFile, type RecentStudies } from '../core/engine/recent.js';
import { createUploadArea } from '../core/engine/upload.js';
import { startJob } from '../core/jobs/job-host.js';
import { packageRoot } from '../core/util/package-root.js';
import { APP_URL, appSchemePrivileges, isAppUrl, registerAppProtocol } from './app-protocol.js';
import { channels, type HostCommand } from '../core/contract/desktop-bridge.js';
import { registerIpc } from './ipc.js';
import { utilityJobLauncher } from './job-process.js';
import { menuTemplate } from './menu.js';
import { desktopPaths, grantPicked } from '../core/engine/desktop-paths.js';
import { hardenApp, secureWebPreferences } from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = packageRoot(here);

protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

let window: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#0f1115',
    title: 'UniverSeg Workstation',
    show: false,
    webPreferences: { ...secureWebPreferences, preload: path.join(here, 'preload.cjs'), devTools: !app.isPackaged },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

function send(command: HostCommand): void {
  window?.webContents.send(channels.command, command);
}

/**
 * 'either' (macOS only: other platforms' dialogs pick folders or files, not both) lets one dialog do both. What
 * the user picks becomes reachable by the page (and only what they pick): its real path, or null when cancelled.
 */
async function pick(paths: PathPolicy, kind: 'folder' | 'file' | 'either'): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: kind === 'file' ? 'Open an image file' : 'Open a study',
    properties: kind === 'folder' ? ['openDirectory'] : kind === 'file' ? ['openFile'] : ['openFile', 'openDirectory'],
    ...(kind === 'file'
      ? { filters: [{ name: 'Medical images', extensions: ['nii', 'gz', 'nrrd', 'nhdr', 'mha', 'mhd', 'dcm', 'png', 'tif', 'tiff', 'jpg', 'jpeg'] }, { name: 'All files', extensions: ['*'] }] }
      : {}),
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : grantPicked(paths, result.filePaths[0]);
}

async function refreshMenu(recent: RecentStudies, paths: PathPolicy): Promise<void> {
  const handlers = {
    openFolder: () => void pick(paths, 'folder').then((p) => p && send({ type: 'open-study', path: p })),
    openFile: () => void pick(paths, 'file').then((p) => p && send({ type: 'open-study', path: p })),
    send,
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(handlers, await recent.list(), process.platform === 'darwin')));
}

app.whenReady().then(async () => {
  hardenApp(app, session.defaultSession);
  registerAppProtocol(protocol, path.join(appRoot, 'renderer', 'dist'));

  const recent = recentStudiesFile(path.join(app.getPath('userData'), 'recent-studies.json'));
  const uploads = createUploadArea();
  const events = createEventBus();
  const paths = await desktopPaths(app.getPath('home'), recent);
  const jobs = new JobQueue(events, (kind, params, handlers) => startJob(kind, params, handlers, utilityJobLauncher(utilityProcess.fork)));
  const engine = createEngine({ paths, recent, uploads, events, jobs, version: app.getVersion() });
  const dispatch = createDispatch(engine.handlers);
  // The File > Open Recent menu follows what the page opens.
  const dispatchAndRefresh: Dispatch = async (method, params) => {
    const reply = await dispatch(method, params);
    if (method === 'openStudy' && reply.ok) void refreshMenu(recent, paths);
    return reply;
  };
  registerIpc(ipcMain, {
    dispatch: dispatchAndRefresh,
    // The page's Browse… button; File > Open Image File… covers files where one dialog cannot do both.
    pickStudy: () => pick(paths, process.platform === 'darwin' ? 'either' : 'folder'),
    grantDropped: (dropped) => grantPicked(paths, dropped),
    isTrustedSender: isAppUrl,
  });
  events.subscribe((event) => window?.webContents.send(channels.event, event));
  await refreshMenu(recent, paths);

  window = createWindow();
  window.on('closed', () => (window = null));
  app.on('activate', () => {
    if (!window) window = createWindow();
  });
  // Pending project saves are written before the app goes.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void engine.close().finally(() => {
      closed = true;
      void uploads.dispose();
      app.quit();
    });
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
