import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const repo = path.resolve(import.meta.dirname, '../../..');

test('the installers flip the Electron fuses that keep the binary from running anything but the app', async () => {
  // electron-builder's own loader and schema: a misspelt fuse fails here, not silently at packaging time.
  const config = await getConfig(repo, path.join(repo, 'electron/electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
});
