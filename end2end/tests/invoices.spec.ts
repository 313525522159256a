import { test, expect, type Page } from '@playwright/test';
import { signUp, uniqueEmail } from './helpers';

/** A new account with a complete profile (VAT-registered) and one client. */
async function readyAccount(page: Page) {
  await signUp(page, uniqueEmail('factures'));
  await page.getByLabel("Nom de l'entreprise").fill('Marie Dupont');
  await page.getByLabel('Numéro SIRET').fill('732 829 320 00074');
  await page.getByLabel('Adresse', { exact: true }).fill('12 rue des Lilas');
  await page.getByLabel('Code postal').fill('75011');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByLabel('E-mail de contact').fill('contact@marie-dupont.fr');
  await page.getByText('Assujetti à la TVA').click();
  await page.getByLabel('Numéro de TVA intracommunautaire').fill('FR44732829320');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Profil enregistré.')).toBeVisible();

  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('button', { name: 'Ajouter mon premier client' }).click();
  await page.getByLabel('Nom ou raison sociale').fill('Boulangerie Martin');
  await page.getByLabel('SIREN').fill('732 829 320');
  await page.getByLabel('Adresse', { exact: true }).fill('3 place du Marché');
  await page.getByLabel('Code postal').fill('69001');
  await page.getByLabel('Ville').fill('Lyon');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByRole('cell', { name: /Boulangerie Martin/ })).toBeVisible();
}

test('an invoice with three lines: totals follow the typing, issuing gives it its number', async ({ page }) => {
  await readyAccount(page);
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByText('Créer ma première facture').click();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });

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

  await page.getByRole('link', { name: 'Factures' }).click();
  await expect(page.getByRole('link', { name: /F-\d{4}-0001/ })).toBeVisible();
  await expect(page.locator('.table-count')).toContainText('1 403,24 €');
});

test('a partial cheque payment, then the rest: the invoice turns « Payée »', async ({ page }) => {
  await readyAccount(page);
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByText('Créer ma première facture').click();
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Conseil');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('100');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
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
