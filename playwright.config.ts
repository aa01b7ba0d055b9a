// Browser tests (e2e/): Debian's Chromium at /usr/bin/chromium drives the built site served by
// site/serve.ts, the same front server as `npm start`. No browser is ever downloaded. Without Chromium
// the suite skips with one line on a laptop and fails under CI=true (e2e/setup.ts, e2e/fixtures.ts).
// Run `npm run build` first: the webServer block only starts the server.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './sandbox/testing/chromium.ts';

const haveChromium = existsSync(CHROMIUM_PATH);
// E2E_PORT: run one file beside a full run on another port (two servers on one port would collide),
// with its own output folder (Playwright empties its output folder when a run starts).
const PORT = process.env.E2E_PORT ?? '4329';
const OUTPUT = process.env.E2E_PORT ? `test-results/port-${PORT}` : 'test-results';
const ORIGIN = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.test.ts',
  outputDir: OUTPUT,
  globalSetup: './e2e/setup.ts',
  // One worker: the demos are real processes on a shared 2-core machine, and the crash tests kill one.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  // Demo processes start on first use; the first page of a demo can take a few seconds on a busy machine.
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: ORIGIN,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  // Without Chromium nothing runs (the tests skip or fail in e2e/fixtures.ts), so no server is started.
  webServer: haveChromium
    ? {
        command: './node_modules/.bin/node --disable-warning=ExperimentalWarning site/serve.ts',
        env: { HOST: '127.0.0.1', PORT },
        url: `${ORIGIN}/`,
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: 'ignore',
        stderr: 'pipe',
      }
    : undefined,
});
