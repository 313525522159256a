import { defineConfig } from '@playwright/test';
import single from './playwright.config';

// The cold-load test, against the release site that .ci/budgets.sh builds (hashed names, brotli
// and gzip copies made at build time), served by the same server binary as the other tests.
const site = process.env.REGLO_RELEASE_SITE;
const hashFile = process.env.REGLO_RELEASE_HASH_FILE;
if (!site || !hashFile) {
  throw new Error('REGLO_RELEASE_SITE and REGLO_RELEASE_HASH_FILE name the release site: run .ci/budgets.sh first');
}
const server = single.webServer as Exclude<typeof single.webServer, unknown[] | undefined>;

export default defineConfig({
  ...single,
  // Its own folder: the main suite's screenshots and traces in test-results/ stay.
  outputDir: 'test-results/first-load',
  testIgnore: [],
  testMatch: /first-load\.spec\.ts/,
  webServer: {
    ...server,
    env: { ...server.env, LEPTOS_SITE_ROOT: site, LEPTOS_HASH_FILES: 'true', LEPTOS_HASH_FILE_NAME: hashFile },
  },
});
