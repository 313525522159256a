import { test, expect } from '@playwright/test';
import { hydrated, issueConsulting, readyAccount } from './helpers';

test('an invoice with three lines: totals follow the typing, issuing gives it its number', async ({ page }) => {
  await readyAccount(page, false);
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByText('Créer ma première facture').click();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();

  // The client is added without leaving the editor, and chosen at once.
  await page.getByRole('button', { name: '+ Nouveau client' }).click();
  await page.getByLabel('Nom ou raison sociale').fill('Boulangerie Martin');
  await page.getByLabel('SIREN').fill('732 829 32');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByText('Certains champs sont à corriger.')).toBeVisible();
  await page.getByLabel('SIREN').fill('732 829 320');
  await page.getByLabel('Adresse', { exact: true }).fill('3 place du Marché');
  await page.getByLabel('Code postal').fill('69001');
  await page.getByLabel('Ville').fill('Lyon');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByLabel('Nom ou raison sociale')).toHaveCount(0);
  await expect(page.getByLabel('Client')).toHaveValue(/\d+/);
  await expect(page.getByLabel('Client').locator('option:checked')).toHaveText('Boulangerie Martin');

  const description = page.getByLabel('Description');
  await description.nth(0).fill('Développement');
  await page.getByLabel('Quantité').nth(0).fill('2,5');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('450');
  await expect(page.locator('.total-ht')).toHaveText('1 125,00 €');
  await expect(page.locator('.total-ttc')).toHaveText('1 350,00 €');

  await page.getByRole('button', { name: '+ Ajouter une ligne' }).click();
  await description.nth(1).fill('Hébergement');
  await page.getByLabel('Prix unitaire HT (€)').nth(1).fill('19,99');
  await page.getByLabel('Remise %').nth(1).fill('10');
  await expect(page.locator('.total-ht')).toHaveText('1 142,99 €');

  await page.getByRole('button', { name: '+ Ajouter une ligne' }).click();
  await description.nth(2).fill('Livre');
  await page.getByLabel('Prix unitaire HT (€)').nth(2).fill('30');
  await page.getByLabel('TVA').nth(2).selectOption('5.5');
  // HT 1 172,99; TVA 20 % on 1 142,99 = 228,60 and 5,5 % on 30 = 1,65; TTC 1 403,24.
  await expect(page.locator('.total-ht')).toHaveText('1 172,99 €');
  await expect(page.locator('.total-tax')).toHaveText('230,25 €');
  await expect(page.locator('.total-ttc')).toHaveText('1 403,24 €');

  // A bad quantity is named when issuing, and nothing is issued.
  await page.getByLabel('Quantité').nth(2).fill('-1');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await expect(page.locator('.line-errors').nth(2)).toContainText('quantité');
  await expect(page.getByRole('heading', { name: 'Brouillon de facture' })).toBeVisible();
  await page.getByLabel('Quantité').nth(2).fill('1');

  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await expect(page.locator('.total-ttc')).toHaveText('1 403,24 €');

  await expect(page.locator('.timeline')).toContainText(/Émise sous le numéro F-\d{4}-0001/);
  await expect(page.locator('.pay-link code')).toHaveText(/\/pay\/[0-9a-f]{64}$/);

  // The PDF is a Factur-X e-invoice; its XML alone is one click away, with the same total.
  const facturx = page.getByRole('link', { name: 'Factur-X EN 16931 (XML)' });
  await expect(facturx).toHaveAttribute('href', /\/invoices\/\d+\/factur-x\.xml$/);
  const xml = await page.request.get((await facturx.getAttribute('href'))!);
  expect(xml.status()).toBe(200);
  expect(await xml.text()).toContain('<ram:GrandTotalAmount>1403.24</ram:GrandTotalAmount>');

  // The list totals what it shows, and its filters live in the URL.
  await page.getByRole('link', { name: 'Factures' }).click();
  await expect(page.getByRole('link', { name: /F-\d{4}-0001/ })).toBeVisible();
  await expect(page.getByTestId('list-total')).toHaveText('1 403,24 €');
  await page.getByLabel('Statut').selectOption({ label: 'Payée' });
  await expect(page).toHaveURL(/statut=paid/);
  await expect(page.getByText('Aucune facture ne correspond à ces critères')).toBeVisible();
  await page.getByLabel('Statut').selectOption({ label: 'Émise' });
  await page.getByLabel('Rechercher par numéro ou client').fill('boulangerie');
  await expect(page.getByRole('link', { name: /F-\d{4}-0001/ })).toBeVisible();
  await page.getByLabel('Rechercher par numéro ou client').fill('inconnu');
  await expect(page.getByText('Aucune facture ne correspond à ces critères')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Rechercher par numéro ou client')).toHaveValue('inconnu');
  await expect(page.getByText('Aucune facture ne correspond à ces critères')).toBeVisible();
});

test('a partial cheque payment, then the rest: the invoice turns « Payée »', async ({ page }) => {
  await issueConsulting(page);
  await expect(page.locator('.amount-due')).toHaveText('120,00 €');

  await page.getByLabel('Montant (€)').fill('50');
  await page.getByLabel('Moyen').selectOption('cheque');
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.locator('.invoice-status')).toHaveText('Partiellement payée');
  await expect(page.locator('.amount-due')).toHaveText('70,00 €');

  // Too much is refused with the amount still due.
  await page.getByLabel('Montant (€)').fill('80');
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.getByText('Le montant dépasse le reste à payer (70,00 €).')).toBeVisible();

  await page.getByLabel('Montant (€)').fill('70');
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
  await expect(page.locator('.amount-due')).toHaveText('0,00 €');
  await expect(page.getByRole('button', { name: 'Enregistrer le paiement' })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
});

test('credit notes: part of an invoice, then the rest, which cancels it', async ({ page }) => {
  await issueConsulting(page);
  const invoiceUrl = page.url();

  // Part of it: 20 € HT given back, totalled as it is typed.
  await page.getByRole('button', { name: 'Annuler / corriger' }).click();
  await page.getByText('Avoir partiel').click();
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('20');
  await expect(page.locator('.credit-total')).toHaveText('24,00 €');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('200');
  await expect(page.getByText(/dépasse ce qui reste à créditer/)).toBeVisible();
  await expect(page.getByRole('button', { name: "Émettre l'avoir" })).toBeDisabled();
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('20');
  await page.getByLabel("Motif (imprimé sur l'avoir, facultatif)").fill('Geste commercial');
  await page.getByRole('button', { name: "Émettre l'avoir" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Avoir A-\d{4}-0001/);
  await expect(page.getByText('Geste commercial')).toBeVisible();

  await page.goto(invoiceUrl);
  await hydrated(page);
  await expect(page.locator('.amount-due')).toHaveText('96,00 €');
  await expect(page.locator('.credit-notes')).toContainText(/A-\d{4}-0001 — 24,00\s€/);

  // The rest cancels it; « cancel all » is no longer offered.
  await page.getByRole('button', { name: 'Annuler / corriger' }).click();
  await expect(page.getByRole('radio', { name: /Annuler toute la facture/ })).toBeDisabled();
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('80');
  await expect(page.locator('.credit-total')).toHaveText('96,00 €');
  await page.getByRole('button', { name: "Émettre l'avoir" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Avoir A-\d{4}-0002/);
  await page.getByRole('link', { name: /F-\d{4}-0001/ }).first().click();
  await expect(page.locator('.invoice-status')).toHaveText('Annulée');
  await expect(page.locator('.timeline')).toContainText('Annulée : entièrement créditée');
  await expect(page.getByRole('button', { name: 'Annuler / corriger' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Enregistrer le paiement' })).toHaveCount(0);
});
