import { activateOnlinePayment, expect, hydrated, payByCard, readyAccount, test } from './helpers';

test('a quote asking 30 % is accepted online, its deposit paid by card, then invoiced and paid', async ({ page, context }) => {
  // The entrepreneur: online payment active, the payment link among her usual methods.
  await readyAccount(page, true, 'compta@martin.fr');
  await activateOnlinePayment(page);
  await expect(page.getByLabel('Lien de paiement')).toBeChecked();

  // 1. A quote from the invoices' editor, asking 30 % on acceptance, sent by e-mail.
  await page.getByRole('link', { name: 'Devis', exact: true }).click();
  await page.getByText('Créer mon premier devis').click();
  await expect(page.getByRole('heading', { name: 'Nouveau devis' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Rénovation de la boutique');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('1000');
  await expect(page.locator('.total-ttc')).toHaveText(/^1\s200,00\s€$/);
  await page.getByLabel('Un pourcentage du total').check();
  await page.getByLabel('Acompte (%)').fill('30');
  await expect(page.getByTestId('deposit-amount')).toContainText('360,00');
  await page.getByRole('button', { name: 'Envoyer le devis' }).click();
  await expect(page.getByRole('heading', { name: /^Devis D-\d{4}-0001$/ })).toBeVisible();
  await expect(page.getByTestId('quote-status')).toHaveText('Envoyé');
  const quoteUrl = page.url();

  // The list, filtered by status.
  await page.getByRole('link', { name: 'Devis', exact: true }).click();
  await hydrated(page);
  await expect(page.locator('tr[data-quote]')).toHaveCount(1);
  await page.getByLabel('Statut').selectOption({ label: 'Accepté' });
  await expect(page.getByText('Aucun devis ne correspond à ces critères')).toBeVisible();
  await page.getByLabel('Statut').selectOption({ label: 'En attente de réponse' });
  await expect(page.locator('tr[data-quote]')).toContainText('Boulangerie Martin');

  // The e-mail, opened from the « Boîte d'envoi », links to the quote's page.
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await page.getByRole('link', { name: /Devis D-\d{4}-0001 — Marie Dupont/ }).click();
  const mail = page.frameLocator('iframe[title="Contenu de l\'e-mail"]');
  const quoteLink = await mail.getByRole('link', { name: 'Voir et accepter le devis' }).getAttribute('href');
  expect(quoteLink).toMatch(/\/quote\/[0-9a-f]{64}$/);

  // The entrepreneur keeps the quote open: it will change by itself.
  await page.goto(quoteUrl);
  await hydrated(page);
  await page.evaluate(() => ((window as any).notReloaded = true));

  // 2. The client, on a phone, accepts with his name and goes straight to the deposit.
  const client = await context.newPage();
  await client.setViewportSize({ width: 375, height: 812 });
  await client.goto(quoteLink!);
  await expect(client.getByRole('heading', { name: /Devis D-\d{4}-0001/ })).toBeVisible();
  await client.screenshot({ path: test.info().outputPath('devis-375px.png'), fullPage: true });
  await client.getByLabel('Vos prénom et nom').fill('Paul Martin');
  await client.getByLabel(/Bon pour accord/).check();
  await client.getByRole('button', { name: 'Accepter le devis' }).click();
  await expect(client.getByText(/Devis accepté par Paul Martin/)).toBeVisible();
  const wide = await client.evaluate(() => document.documentElement.scrollWidth);
  expect(wide).toBeLessThanOrEqual(375);
  await client.screenshot({ path: test.info().outputPath('acceptation-375px.png'), fullPage: true });
  await client.getByRole('button', { name: "Payer l'acompte" }).click();
  await expect(client.getByText('Mode test — aucun paiement réel')).toBeVisible();
  await payByCard(client, '4242 4242 4242 4242');
  // Back on the quote's page, which looks again until the webhook has issued the paid invoice.
  await expect(client.getByText(/Acompte de 360,00\s€ payé/)).toBeVisible({ timeout: 20_000 });

  // 3. The entrepreneur sees « Accepté » and the paid deposit invoice, without reloading.
  await expect(page.getByTestId('quote-status')).toHaveText('Accepté', { timeout: 20_000 });
  await expect(page.getByTestId('quote-invoices')).toContainText(/Facture d'acompte F-\d{4}-0001 — 360,00\s€ — Payée/, { timeout: 20_000 });
  expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);

  // 4. « Facturer »: the quote's lines less the deposit, issued and e-mailed.
  await page.getByRole('button', { name: 'Facturer' }).click();
  await expect(page.getByTestId('quote-reference')).toContainText(/Facture du devis D-\d{4}-0001/);
  await expect(page.locator('.total-ttc')).toHaveText(/^840,00\s€$/);
  await expect(page.getByLabel('Lien de paiement')).toBeChecked();
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0002/);
  await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText("E-mail mis en file d'envoi.")).toBeVisible();
  const payLink = (await page.locator('.pay-link code').textContent())!;

  // 5. The client pays the remaining 70 %.
  await client.goto(payLink);
  await expect(client.getByText('840,00\u00a0€').first()).toBeVisible();
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await payByCard(client, '4242 4242 4242 4242');
  await expect(client.getByText(/Facture réglée le .* — merci !/)).toBeVisible({ timeout: 20_000 });

  // 6. The dashboard shows both receipts.
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('cash-received')).toHaveText(/^1\s200,00\s€$/);
  await expect(page.getByTestId('last-receipts').locator('li, tr').filter({ hasText: 'Carte en ligne' })).toHaveCount(2);
  await expect(page.getByTestId('quotes-acceptance')).toContainText('100 %');
});
