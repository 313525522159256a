import { expect, hydrated, issueFirstInvoice, onlineAccount, payByCard, test } from './helpers';

test('after a credit note, a card payment goes back to the card, and the register shows it negative', async ({ page, context }) => {
  await onlineAccount(page);
  await issueFirstInvoice(page);
  const payLink = (await page.locator('.pay-link code').textContent())!;
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByRole('link', { name: /F-\d{4}-0001/ }).click();
  await expect(page).toHaveURL(/\/factures\/\d+$/);
  const invoiceUrl = page.url();

  // The client pays 120 € by card.
  const client = await context.newPage();
  await client.goto(payLink);
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await payByCard(client, '4242 4242 4242 4242');
  await expect(client.getByText(/Facture réglée le/)).toBeVisible({ timeout: 20_000 });

  // Cancelled by a credit note: 120 € owed back, offered back to the card.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
  await page.getByRole('button', { name: 'Annuler / corriger' }).click();
  await page.getByRole('button', { name: "Émettre l'avoir" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Avoir A-\d{4}-0001/);
  await page.goto(invoiceUrl);
  await hydrated(page);
  const amount = page.getByLabel('Montant à rembourser (€)');
  await expect(amount).toHaveValue('120,00');
  await amount.fill('130');
  await page.getByRole('button', { name: 'Rembourser par carte' }).click();
  await expect(page.getByText(/dépasse ce qui est dû au client/)).toBeVisible();
  await amount.fill('50');
  await page.getByRole('button', { name: 'Rembourser par carte' }).click();
  await expect(page.getByTestId('card-refunds')).toContainText(/Remboursement par carte de 50,00\s€/);
  await expect(amount).toHaveValue('70,00');

  // Stripe confirms it: recorded, in the timeline and the register.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('card-refunds')).toContainText('Remboursé sur la carte', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await hydrated(page);
  await expect(page.locator('.timeline')).toContainText('Remboursement de 50,00');
  await page.getByLabel('Montant à rembourser (€)').fill('70');
  await page.getByRole('button', { name: 'Rembourser par carte' }).click();
  await expect(page.getByTestId('card-refunds').locator('li')).toHaveCount(2);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('card-refunds').locator('li').nth(1)).toContainText('Remboursé sur la carte', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Rembourser par carte' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Recettes' }).click();
  await hydrated(page);
  const rows = page.getByTestId('receipts').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('receipts')).toContainText(/-50,00\s€/);
  await expect(page.getByTestId('receipts')).toContainText(/-70,00\s€/);
  await expect(page.getByTestId('receipts-total')).toHaveText(/^0,00\s€$/);
});
