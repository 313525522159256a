import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import single from './playwright.config';

// The mission again, on two instances sharing one fresh PostgreSQL database and one Stripe
// sandbox process, as behind a load balancer: the entrepreneur works on B while the client's
// pay link, Checkout's return and the sandbox's webhooks go to A (REGLO_PUBLIC_URL), so B's
// dashboard can only learn of the payment through the database (LISTEN/NOTIFY).
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const bin = process.env.REGLO_BIN ?? path.join(targetDir, 'debug', 'reglo');
const server = process.env.REGLO_TEST_DATABASE_URL;
if (!server) throw new Error('REGLO_TEST_DATABASE_URL must name a PostgreSQL server');
// Made once by the runner; its workers inherit the name.
if (!process.env.REGLO_E2E_DATABASE) {
  process.env.REGLO_E2E_DATABASE = `reglo_e2e_${Date.now()}`;
  execSync(`psql "${server}" -qc "CREATE DATABASE ${process.env.REGLO_E2E_DATABASE}"`);
}
const database = server.replace(/\/[^/?]*(\?.*)?$/, `/${process.env.REGLO_E2E_DATABASE}$1`);
const [a, b, sandbox] = ['3910', '3911', '3912'];
const secretKey = '7e57'.repeat(16);
// Shared by both instances, as the README asks (logos live there).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reglo-e2e-instances-'));
const common = {
  REGLO_SECRET_KEY: secretKey,
  LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site'),
  LEPTOS_OUTPUT_NAME: 'reglo',
  REGLO_STRIPE_SANDBOX: '1',
  REGLO_SIGN_UPS_PER_HOUR: '100000',
  RUST_LOG: 'info,sqlx=warn',
};
const instance = (port: string) => ({
  command: `${bin} serve`,
  cwd: root,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: 'pipe' as const,
  stderr: 'pipe' as const,
  env: {
    ...common,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    REGLO_PUBLIC_URL: `http://127.0.0.1:${a}`,
    REGLO_DATABASE_URL: database,
    REGLO_DATA_DIR: dataDir,
    STRIPE_API_BASE: `http://127.0.0.1:${sandbox}/_sandbox/stripe/`,
  },
});

export default defineConfig({
  ...single,
  // Its own folder: the main suite's screenshots and traces in test-results/ stay.
  outputDir: 'test-results/instances',
  testMatch: /payments\.spec\.ts/,
  grep: /the mission/,
  globalTeardown: './instances.teardown.ts',
  use: { ...single.use, baseURL: `http://127.0.0.1:${b}` },
  webServer: [
    {
      command: `${bin} stripe-sandbox --webhooks-to http://127.0.0.1:${a}`,
      cwd: root,
      url: `http://127.0.0.1:${sandbox}/_sandbox/stripe/v1/events`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        ...common,
        LEPTOS_SITE_ADDR: `127.0.0.1:${sandbox}`,
        REGLO_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'reglo-e2e-sandbox-')),
      },
    },
    instance(a),
    instance(b),
  ],
});
