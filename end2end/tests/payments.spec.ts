import { activateOnlinePayment, expect, hydrated, openFirstInvoice, payByCard, readyAccount, test } from './helpers';

test('the mission: online payment set up, invoice e-mailed with its link, paid by card, receipts sent', async ({ page, context }, testInfo) => {
  // The app pages' Content-Security-Policy refuses nothing the app itself needs.
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  // 1. The entrepreneur sets up online payment and issues an invoice offering the link.
  await readyAccount(page, true, 'compta@martin.fr');
  // The sandbox was asked for: every page of the app says no real money moves.
  await expect(page.getByTestId('test-mode')).toContainText('Mode test');
  await activateOnlinePayment(page);
  await expect(page.getByText('2,9 % par paiement en ligne').first()).toBeVisible();
  // Active: the payment link is ticked on every new invoice without a visit to the settings,
  // and the page says so and how to change it.
  await expect(page.getByLabel('Lien de paiement')).toBeChecked();
  await expect(page.getByTestId('link-default-notice')).toContainText('coché sur chaque nouvelle facture');

  await openFirstInvoice(page);
  const link = page.getByLabel('Lien de paiement');
  await expect(link).toBeEnabled();
  await expect(link).toBeChecked();
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Conseil');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('100');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await hydrated(page);
  const invoiceUrl = page.url();

  await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
  await expect(page.getByLabel('Destinataires')).toHaveValue('compta@martin.fr');
  // The preview shows the whole message, its button included.
  const previewButton = page.frameLocator('iframe[title="Aperçu de l\'e-mail"]').getByRole('link', { name: 'Payer la facture' });
  expect(await previewButton.evaluate((a) => a.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText("E-mail mis en file d'envoi.")).toBeVisible();

  // The e-mail, read in the « Boîte d'envoi », carries the « Payer la facture » button.
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await page.getByRole('link', { name: /Facture F-\d{4}-0001/ }).click();
  const mail = page.frameLocator('iframe[title="Contenu de l\'e-mail"]');
  const payLink = await mail.getByRole('link', { name: 'Payer la facture' }).getAttribute('href');
  expect(payLink).toMatch(/\/pay\/[0-9a-f]{64}$/);
  // Shown whole here too, its button and the line under it.
  const fallback = mail.getByRole('link', { name: 'Ouvrir la page de paiement' });
  expect(await fallback.evaluate((a) => a.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  // On a phone and on a desktop, the message never scrolls sideways: the link is the button and
  // one short line, its long address never printed.
  const html = (await page.locator('iframe[title="Contenu de l\'e-mail"]').getAttribute('srcdoc'))!;
  const reader = await context.newPage();
  for (const width of [375, 1280]) {
    await reader.setViewportSize({ width, height: 900 });
    await reader.setContent(html);
    expect(await reader.evaluate(() => document.documentElement.scrollWidth), `${width} px`).toBeLessThanOrEqual(width);
    await expect(reader.getByRole('link', { name: 'Payer la facture' })).toBeVisible();
    await expect(reader.getByRole('link', { name: 'Ouvrir la page de paiement' })).toHaveAttribute('href', payLink!);
    await expect(reader.getByText(/\/pay\/[0-9a-f]{64}/)).toHaveCount(0);
    await reader.screenshot({ path: testInfo.outputPath(`email-${width}px.png`), fullPage: true });
  }
  await reader.close();

  // The entrepreneur keeps the dashboard open: it will change by itself.
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('cash-received')).toHaveText(/^0,00\s€$/);
  await expect(page.getByTestId('cash-outstanding')).toHaveText(/^120,00\s€$/);
  const thisMonth = page.getByTestId('revenue-chart').locator('g.bar').last();
  await expect(thisMonth).toHaveAttribute('aria-label', /: 0,00\s€$/);
  await page.evaluate(() => ((window as any).notReloaded = true));
  // And the invoice itself, in another tab: it will turn « Payée » by itself too.
  const invoiceTab = await context.newPage();
  await invoiceTab.goto(invoiceUrl);
  await hydrated(invoiceTab);
  await expect(invoiceTab.locator('.invoice-status')).toHaveText('Envoyée');
  await expect(invoiceTab.getByText('Enregistrer un paiement').first()).toBeVisible();
  await invoiceTab.evaluate(() => ((window as any).notReloaded = true));

  // 2. The client opens the branded pay page and goes to Checkout.
  const client = await context.newPage();
  await client.goto(payLink!);
  await expect(client.getByRole('heading', { name: 'Marie Dupont EI' })).toBeVisible();
  await expect(client.getByText('120,00\u00a0€').first()).toBeVisible();
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await expect(client.getByText('Mode test — aucun paiement réel')).toBeVisible();

  // A declined card first, with Stripe's message; then one that goes through.
  await payByCard(client, '4000 0000 0000 0002');
  await expect(client.getByRole('alert')).toHaveText('Votre carte a été refusée.');
  await payByCard(client, '4242 4242 4242 4242');

  // 3. Back on the pay page: confirmed by the webhook, not by the redirect.
  await expect(client.getByText(/Facture réglée le \d{2}\/\d{2}\/\d{4} — merci !/)).toBeVisible({ timeout: 20_000 });
  await expect(client.getByRole('link', { name: 'Télécharger la facture acquittée (PDF)' })).toBeVisible();

  // 4. The dashboard shows the revenue without a reload; the invoice is paid, with the fee, and
  // both receipts are in the outbox.
  await expect(page.getByTestId('cash-received')).toHaveText(/^120,00\s€$/);
  await expect(page.getByTestId('cash-outstanding')).toHaveText(/^0,00\s€$/);
  await expect(thisMonth).toHaveAttribute('aria-label', /: 120,00\s€$/);
  await expect(page.getByTestId('period-received').first()).toHaveText(/^120,00\s€$/);
  await expect(page.getByTestId('last-receipts')).toContainText('Carte en ligne');
  expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);
  await expect(invoiceTab.locator('.invoice-status')).toHaveText('Payée');
  await expect(invoiceTab.getByText(/Carte en ligne — frais 3,48\s€, net 116,52\s€/)).toBeVisible();
  await expect(invoiceTab.getByText('Enregistrer un paiement')).toHaveCount(0);
  await invoiceTab.screenshot({ path: testInfo.outputPath('invoice-paid-live.png'), fullPage: true });
  expect(await invoiceTab.evaluate(() => (window as any).notReloaded)).toBe(true);
  await invoiceTab.close();
  // The bar tells its value on focus too.
  await thisMonth.focus();
  await expect(thisMonth.locator('.bar-value')).toHaveCSS('opacity', '1');
  await page.goto(invoiceUrl);
  await hydrated(page);
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
  await expect(page.getByText(/Carte en ligne — frais 3,48\s€, net 116,52\s€/)).toBeVisible();
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await expect(page.getByRole('link', { name: /Paiement reçu — facture F-\d{4}-0001/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Boulangerie Martin a payé la facture F-\d{4}-0001/ })).toBeVisible();

  // The payment is in the livre des recettes, with its exports.
  await page.getByRole('link', { name: 'Recettes' }).click();
  await hydrated(page);
  const row = page.getByTestId('receipts').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Boulangerie Martin');
  await expect(row).toContainText('Prestation de services — Conseil');
  await expect(row).toContainText('Carte en ligne (test)');
  await expect(page.getByTestId('receipts-total')).toHaveText(/^120,00\s€$/);
  const csv = await page.request.get((await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href'))!);
  expect(await csv.text()).toContain(';120,00;Carte en ligne (test)');
  expect(refused, refused.join('\n')).toEqual([]);
});

test('a client pays with JavaScript disabled, and the link waits for online payment', async ({ page, browser }) => {
  await readyAccount(page);
  // Before online payment is active, the editor says why the link cannot be ticked.
  await openFirstInvoice(page);
  await expect(page.getByLabel('Lien de paiement')).toBeDisabled();
  await expect(page.getByRole('link', { name: 'Activer le paiement en ligne' })).toBeVisible();

  await activateOnlinePayment(page);
  await openFirstInvoice(page);
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Atelier');
  // Ticked by default now that online payment is active. Below the minimum for card payment,
  // the editor says why it cannot be offered; ticked, it stays free to untick, and unticked it
  // is locked…
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('10');
  await expect(page.getByTestId('link-lock')).toContainText('à partir de 20,00');
  await page.getByLabel('Lien de paiement').uncheck();
  await expect(page.getByLabel('Lien de paiement')).toBeDisabled();
  // …and freed as soon as the total reaches it.
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('50');
  await page.getByLabel('Lien de paiement').check();
  await expect(page.getByTestId('link-lock')).toHaveCount(0);
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await hydrated(page);
  const payLink = (await page.locator('.pay-link code').textContent())!;

  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  const client = await noJs.newPage();
  await client.goto(payLink);
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  // A cancelled checkout returns calmly to the page.
  await client.getByRole('link', { name: '← Retour' }).click();
  await expect(client.getByText("Paiement annulé : aucun montant n'a été débité.")).toBeVisible();
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await payByCard(client, '4242424242424242');
  // Without JavaScript the page refreshes itself until the payment is confirmed.
  await expect(client.getByText(/Facture réglée le .* — merci !/)).toBeVisible({ timeout: 20_000 });
  await noJs.close();

  await page.reload();
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
});
