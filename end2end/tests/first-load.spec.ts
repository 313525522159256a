import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect, hydrated, readyAccount, test } from './helpers';

// Run on the release site (playwright.first-load.config.ts, after .ci/budgets.sh): what a cold
// load of the dashboard transfers, how each asset is encoded and kept, and how long the dashboard
// and the invoice editor take to become interactive on a phone.

// A cold dashboard load on the wire, in bytes, at most: 583 530 as one bundle, 301 086 with pages
// split, 285 806 with one JSON reader per type and the checklist computed on the server, 205 976
// with only the pages' islands hydrating, from a bundle per kind of page.
const TARGET = 300_000;
const RUNS = Number(process.env.REGLO_TTI_RUNS ?? 10);

/** A budget of .ci/budgets.sh, which runs this test, in bytes. */
function budget(name: string) {
  const kb = Number(process.env[name]);
  if (!kb) throw new Error(`${name} is set by .ci/budgets.sh: run the test through it`);
  return kb * 1000;
}
// The WASM a page loads (brotli, on the wire): its kind of page's bundle.
const WASM_TARGET = { dashboard: budget('DASHBOARD_WASM_KB'), editor: budget('EDITOR_WASM_KB') };

type Asset = { url: string; type: string; bytes: number; encoding: string; cache: string };

async function coldLoad(browser: Browser, state: Awaited<ReturnType<BrowserContext['storageState']>>, url: string) {
  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  const assets: Asset[] = [];
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    if (!response) return;
    const sizes = await request.sizes();
    const headers = await response.allHeaders();
    assets.push({
      url: new URL(request.url()).pathname,
      type: request.resourceType(),
      bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      encoding: headers['content-encoding'] ?? '',
      cache: headers['cache-control'] ?? '',
    });
  });
  await page.goto(url);
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  return assets;
}

/** Chromium's phone profile: 1,6 Mbit/s down, 750 kbit/s up, 150 ms latency, CPU slowed 4×. */
async function phone(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/** Milliseconds from navigation to the page being interactive (hydrated), median of `RUNS` cold loads. */
async function timeToInteractive(browser: Browser, state: Awaited<ReturnType<BrowserContext['storageState']>>, url: string) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ storageState: state, viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await phone(page);
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await expect(page.locator('body[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
    times.push(Date.now() - start);
    await context.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Bytes of WASM a cold load of the page transfers: its bundle. */
function wasmBytes(assets: Asset[]) {
  return assets.filter((a) => a.url.endsWith('.wasm')).reduce((sum, a) => sum + a.bytes, 0);
}

/** `/pkg` files are named after their content: kept for a year, and compressed. */
function keptForGood(pkg: Asset[]) {
  for (const asset of pkg) {
    expect(asset.cache, asset.url).toBe('public, max-age=31536000, immutable');
    if (asset.bytes > 2_000) expect(asset.encoding, asset.url).toBe('br');
  }
}

test('a cold load of the dashboard is compressed, cached for good and measured on a phone', async ({ page, browser }) => {
  test.setTimeout(600_000);
  await readyAccount(page);
  await hydrated(page);
  const state = await page.context().storageState();

  const assets = await coldLoad(browser, state, '/');
  const kinds = new Map(assets.map((a) => [a.url, a]));
  const html = assets.find((a) => a.type === 'document')!;
  const pkg = assets.filter((a) => a.url.startsWith('/pkg/'));
  expect(html.encoding).toBe('br');
  expect(html.cache).toBe('private, no-cache');
  for (const ext of ['css', 'js', 'wasm']) {
    const asset = pkg.find((a) => a.url.endsWith(`.${ext}`) && a.url.startsWith('/pkg/reglo.'));
    expect(asset, `the ${ext} file`).toBeTruthy();
    // Named after its content, so it can be kept for a year.
    expect(asset!.url).toMatch(new RegExp(`^/pkg/reglo\\.[A-Za-z0-9_-]{10,}\\.${ext}$`));
  }
  keptForGood(pkg);
  const total = assets.reduce((sum, a) => sum + a.bytes, 0);
  const lines = [...kinds.values()].map((a) => `  ${a.url.padEnd(64)} ${String(a.bytes).padStart(8)} B  ${a.encoding || '-'}`);
  console.log(`Cold load of the dashboard: ${total} bytes on the wire (target ${TARGET})\n${lines.join('\n')}`);
  expect(total).toBeLessThanOrEqual(TARGET);

  // The WASM each page needs, on the wire.
  const editorAssets = await coldLoad(browser, state, '/factures/nouvelle');
  // The editor's bundle comes from .ci/bundles.sh, not cargo-leptos: compressed and kept alike.
  const editorBundle = editorAssets.filter((a) => a.url.startsWith('/pkg/reglo-new-invoice.'));
  expect(editorBundle.map((a) => a.url.split('.').pop()).sort()).toEqual(['js', 'wasm']);
  keptForGood(editorBundle);
  const wasm = { dashboard: wasmBytes(assets), editor: wasmBytes(editorAssets) };
  console.log(
    `WASM loaded, brotli on the wire: dashboard ${wasm.dashboard} B (target ${WASM_TARGET.dashboard}), ` +
      `invoice editor ${wasm.editor} B (target ${WASM_TARGET.editor})`,
  );
  expect(wasm.dashboard).toBeLessThanOrEqual(WASM_TARGET.dashboard);
  expect(wasm.editor).toBeLessThanOrEqual(WASM_TARGET.editor);

  const dashboard = await timeToInteractive(browser, state, '/');
  const editor = await timeToInteractive(browser, state, '/factures/nouvelle');
  console.log(`Interactive on the phone profile (median of ${RUNS} cold loads): dashboard ${dashboard} ms, invoice editor ${editor} ms (target 3 000 ms)`);
});
