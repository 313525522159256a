import { expect, hydrated, issueConsulting, test } from './helpers';

test('the invoice list follows a payment live; a refund after a credit note is a negative receipt', async ({ page, context }) => {
  await issueConsulting(page);
  const invoiceUrl = page.url();

  // The list is open in another tab while the payment is recorded.
  const list = await context.newPage();
  await list.goto('/factures');
  await hydrated(list);
  const row = list.locator('tbody tr').first();
  await expect(row.locator('.status')).toHaveText('Émise');
  await list.evaluate(() => ((window as any).notReloaded = true));

  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
  await expect(row.locator('.status')).toHaveText('Payée');
  await expect(list.getByTestId('list-due')).toHaveText(/^0,00\s€$/);
  expect(await list.evaluate(() => (window as any).notReloaded)).toBe(true);

  // Cancelled by a credit note once paid: the client is owed 120 €, then refunded.
  await page.getByRole('button', { name: 'Annuler / corriger' }).click();
  await page.getByRole('button', { name: "Émettre l'avoir" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Avoir A-\d{4}-0001/);
  await page.goto(invoiceUrl);
  await hydrated(page);
  await expect(page.locator('.refund-due')).toHaveText(/^120,00\s€$/);
  await page.getByLabel('Montant (€)').fill('150');
  await page.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await expect(page.getByText(/dépasse ce qui est dû au client/)).toBeVisible();
  await page.getByLabel('Montant (€)').fill('120');
  await page.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await expect(page.getByTestId('refunds')).toContainText(/− 120,00\s€/);
  await expect(page.getByRole('button', { name: 'Enregistrer le remboursement' })).toHaveCount(0);
  await expect(page.locator('.timeline')).toContainText('Remboursement de 120,00');

  // The register: the payment, then the refund in negative; nothing left in revenue.
  await page.getByRole('link', { name: 'Recettes' }).click();
  await hydrated(page);
  const rows = page.getByTestId('receipts').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(/120,00\s€/);
  await expect(rows.nth(1)).toContainText(/Remboursement \(avoir A-\d{4}-0001\)/);
  await expect(rows.nth(1)).toContainText(/-120,00\s€/);
  await expect(page.getByTestId('receipts-total')).toHaveText(/^0,00\s€$/);

  // A backwards period is said so, and offers a way back.
  await page.goto('/recettes?du=2026-12-01&au=2026-01-01');
  await expect(page.getByRole('alert')).toContainText('Période invalide : La date de début doit précéder la date de fin.');

  // The dashboard prepares the URSSAF declaration and shows the ceilings.
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('declaration')).toContainText('Déclaration URSSAF');
  await expect(page.getByTestId('thresholds')).toContainText('Plafond micro-entreprise (services)');
  await expect(page.getByTestId('period-received').first()).toHaveText(/^0,00\s€$/);
});
