import { test, expect, hydrated, signUp, uniqueEmail } from './helpers';

// The invoice and quote pages come in their own WASM chunk, fetched on the first visit to one of
// them (app/src/pages/mod.rs). Until it is there the user is told the page is loading; if it
// cannot be downloaded, the app says so and offers to try again instead of dying.
const DOCUMENT_CHUNK = /\/pkg\/split_document_pages[^/]*\.wasm$/;

// The chunk loader cargo-leptos generates leaves the failed fetch's promise without a handler
// for a moment, so the browser reports it; the app itself carries on.
test.use({ expectedPageErrors: [/: TypeError: Failed to fetch$/m] });

test('a page whose code is still downloading says so, and a failed download can be retried', async ({ page }) => {
  await signUp(page, uniqueEmail('navigation'));
  const firstInvoice = page.getByRole('link', { name: 'Émettre et envoyer votre première facture' });
  const loading = page.locator('#page-loading[aria-live="polite"]');

  // A slow download: the loading status shows until the editor is there, then clears.
  await page.goto('/');
  await hydrated(page);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(DOCUMENT_CHUNK, async (route) => {
    await released;
    await route.continue();
  });
  await firstInvoice.click();
  await expect(loading).toHaveText('Chargement de la page…');
  await expect(page.locator('body[data-page-loading]')).toBeAttached();
  await expect(page.getByRole('heading', { name: 'Tableau de bord' })).toBeVisible();
  release();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await expect(loading).toBeEmpty();
  await expect(page.locator('body[data-page-loading]')).toHaveCount(0);
  await page.unrouteAll();

  // A dropped connection: the page says it could not be loaded; « Réessayer » loads it.
  await page.goto('/');
  await hydrated(page);
  await page.route(DOCUMENT_CHUNK, (route) => route.abort('internetdisconnected'));
  await firstInvoice.click();
  const notLoaded = page.getByTestId('page-not-loaded');
  await expect(notLoaded).toContainText("Cette page n'a pas pu être téléchargée");
  await expect(page).toHaveURL(/\/factures\/nouvelle$/);
  await page.unrouteAll();
  await notLoaded.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await hydrated(page);
});
