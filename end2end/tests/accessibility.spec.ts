import { type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, hydrated, issueFirstInvoice, onlineAccount, test } from './helpers';

// Every page, logged out and in, on a desktop and on a 375 px phone: no serious or critical
// axe-core finding (WCAG 2.1 A and AA), and no page wider than the screen.
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

async function audit(page: Page, url: string, where: string) {
  await page.setViewportSize(DESKTOP);
  await page.goto(url);
  // The app's pages are checked once live; the pay, quote and Checkout pages have no script.
  if (await page.locator('script[type="module"]').count()) await hydrated(page);
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    // E-mail previews are sandboxed frames without scripts: axe cannot run inside them (its
    // default mode waits for them for ever), so the page is analysed on its own.
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .options({ iframes: false })
      .setLegacyMode()
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
    expect.soft(blocking, `${where} at ${size.width} px`).toEqual([]);
    // What sticks out past the screen's right edge, outside any box that scrolls on its own.
    const wide = await page.evaluate((width) => {
      const clipped = (el: Element) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
        }
        return false;
      };
      return [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`);
    }, size.width);
    expect.soft(wide, `${where} at ${size.width} px: wider than the screen`).toEqual([]);
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth);
    expect.soft(scrolls, `${where} at ${size.width} px scrolls sideways`).toBeLessThanOrEqual(size.width);
    // How each page looks on the phone, kept with the test's results.
    if (size === PHONE) {
      const name = where.normalize('NFD').replace(/[^\w]+/g, '-').toLowerCase();
      await page.screenshot({ path: test.info().outputPath(`375px-${name}.png`), fullPage: true });
    }
  }
}

test('every page passes axe-core and fits a 375 px screen', async ({ page, context }) => {
  test.setTimeout(420_000);
  await audit(page, '/connexion', 'log-in page');
  await audit(page, '/inscription', 'sign-up page');
  await audit(page, '/mot-de-passe-oublie', 'forgotten password page');

  await onlineAccount(page);
  await issueFirstInvoice(page);
  const payLink = (await page.locator('.pay-link code').textContent())!;
  const invoiceUrl = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText("E-mail mis en file d'envoi.")).toBeVisible();

  for (const [url, where] of [
    ['/', 'dashboard'],
    ['/factures', 'invoice list'],
    ['/factures/nouvelle', 'invoice editor'],
    [invoiceUrl, 'invoice page'],
    ['/devis', 'quote list'],
    ['/devis/nouveau', 'quote editor'],
    ['/clients', 'clients'],
    ['/recettes', 'livre des recettes'],
    ['/parametres/entreprise', 'business settings'],
    ['/parametres/paiements', 'payment settings'],
    ['/parametres/e-mails', 'e-mail settings'],
    ['/parametres/relances', 'reminder settings'],
    ['/parametres/api', 'API settings'],
    ['/parametres/securite', 'security settings'],
    ['/aide/tarifs-paiement-en-ligne', 'online pricing'],
    ['/boite-d-envoi', 'outbox'],
  ]) {
    await audit(page, url, where);
  }
  await page.goto('/boite-d-envoi');
  const message = await page.getByRole('link', { name: /Facture F-\d{4}-0001/ }).first().getAttribute('href');
  await audit(page, message!, 'outbox message');

  // A quote sent to the client, for its page.
  await page.goto('/devis/nouveau');
  await hydrated(page);
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Rénovation de la boutique');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('1000');
  await page.getByRole('button', { name: 'Envoyer le devis' }).click();
  await expect(page.getByTestId('quote-status')).toHaveText('Envoyé');
  await audit(page, new URL(page.url()).pathname, 'quote page (entrepreneur)');
  await page.goto('/boite-d-envoi');
  await page.getByRole('link', { name: /Devis D-\d{4}-0001/ }).click();
  const mail = page.frameLocator('iframe[title="Contenu de l\'e-mail"]');
  const quoteLink = await mail.getByRole('link', { name: 'Voir et accepter le devis' }).getAttribute('href');

  // The client's side: the quote page, the pay page (no script at all) and Stripe's (sandbox)
  // Checkout page.
  const client = await context.newPage();
  await audit(client, quoteLink!, 'quote page (client)');
  await audit(client, payLink, 'pay page');
  await expect(client.locator('script')).toHaveCount(0);
  await client.goto(payLink);
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await expect(client.getByText('Mode test — aucun paiement réel')).toBeVisible();
  await audit(client, client.url(), 'Checkout page');
});
