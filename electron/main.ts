/**
 * Electron's main process: shows the renderer in one hardened window, builds the menus and relays the page's
 * contract calls (ipc.ts) to the engine, which runs in a utility process of its own (engine-host.ts) so that
 * nothing it does can stall the window. The page has no Node; main reads no image.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channels, type HostCommand } from '../core/contract/desktop-bridge.js';
import { packageRoot } from '../core/util/package-root.js';
import { APP_URL, appSchemePrivileges, isAppUrl, registerAppProtocol } from './app-protocol.js';
import { utilityEngineLink } from './engine-launch.js';
import { createEngineRelay, type EngineRelay } from './engine-relay.js';
import { registerIpc, type IpcHost } from './ipc.js';
import { utilityJobLauncher } from './job-process.js';
import { menuTemplate } from './menu.js';
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
async function pick(engine: EngineRelay, kind: 'folder' | 'file' | 'either'): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: kind === 'file' ? 'Open an image file' : 'Open a study',
    properties: kind === 'folder' ? ['openDirectory'] : kind === 'file' ? ['openFile'] : ['openFile', 'openDirectory'],
    ...(kind === 'file'
      ? {
          filters: [
            { name: 'Medical images', extensions: ['nii', 'gz', 'nrrd', 'nhdr', 'mha', 'mhd', 'dcm', 'png', 'tif', 'tiff', 'jpg', 'jpeg'] },
            { name: 'All files', extensions: ['*'] },
          ],
        }
      : {}),
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : engine.grant(result.filePaths[0]);
}

async function refreshMenu(engine: EngineRelay): Promise<void> {
  const handlers = {
    openFolder: () => void pick(engine, 'folder').then((p) => p && send({ type: 'open-study', path: p })),
    openFile: () => void pick(engine, 'file').then((p) => p && send({ type: 'open-study', path: p })),
    send,
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(handlers, await engine.recentStudies(), process.platform === 'darwin')));
}

app.whenReady().then(async () => {
  hardenApp(app, session.defaultSession);
  registerAppProtocol(protocol, path.join(appRoot, 'renderer', 'dist'));

  const engine = createEngineRelay(
    utilityEngineLink(utilityProcess.fork, {
      home: app.getPath('home'),
      recentFile: path.join(app.getPath('userData'), 'recent-studies.json'),
      version: app.getVersion(),
      jobs: 'relay',
    }),
    utilityJobLauncher(utilityProcess.fork),
  );
  // The File > Open Recent menu follows what the page opens.
  const dispatchAndRefresh: IpcHost['dispatch'] = async (method, params) => {
    const reply = await engine.call(method, params);
    if (method === 'openStudy' && reply.ok) void refreshMenu(engine);
    return reply;
  };
  registerIpc(ipcMain, {
    dispatch: dispatchAndRefresh,
    // The page's Browse… button; File > Open Image File… covers files where one dialog cannot do both.
    pickStudy: () => pick(engine, process.platform === 'darwin' ? 'either' : 'folder'),
    grantDropped: (dropped) => engine.grant(dropped),
    isTrustedSender: isAppUrl,
  });
  engine.onEvent((event) => window?.webContents.send(channels.event, event));
  await refreshMenu(engine);

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
      app.quit();
    });
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
