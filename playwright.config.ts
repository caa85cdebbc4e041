import { defineConfig } from '@playwright/test';

/**
 * The viewer in Debian's Chromium against `universeg serve` (started by the global setup). Never
 * `npx playwright install`: the browser is the system's (apt-get install -y chromium xvfb).
 */
export default defineConfig({
  testDir: 'test/e2e',
  // Timings (*.perf.spec.ts) depend on the machine and its load: measured with `npm run bench:ui`, not in npm test.
  ...(process.env.UNIVERSEG_PERF ? { testMatch: '**/*.perf.spec.ts' } : { testIgnore: '**/*.perf.spec.ts' }),
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 60_000,
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
