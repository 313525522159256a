import { defineConfig } from '@playwright/test';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';

// The server under test: the binary cargo-leptos built, on a fresh data dir, on its own port.
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const port = process.env.REGLO_E2E_PORT ?? '3900';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reglo-e2e-'));

export default defineConfig({
  testDir: './tests',
  // Run by playwright.first-load.config.ts, against the release site.
  testIgnore: /first-load\.spec\.ts/,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: process.env.REGLO_BIN ?? path.join(targetDir, 'debug', 'reglo'),
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site'),
      LEPTOS_OUTPUT_NAME: 'reglo',
      REGLO_DATA_DIR: dataDir,
      REGLO_STRIPE_SANDBOX: '1',
      // Every test signs up from 127.0.0.1.
      REGLO_SIGN_UPS_PER_HOUR: '100000',
      // reminders.spec moves the clock (POST /_test/clock), then puts it back.
      REGLO_TEST_CLOCK: '1',
      RUST_LOG: 'info,sqlx=warn',
    },
  },
});
