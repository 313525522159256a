import { expect, hydrated, issueConsulting, openFirstInvoice, readyAccount, test } from './helpers';

test('an invoice with three lines: totals follow the typing, issuing gives it its number', async ({ page }, testInfo) => {
  await readyAccount(page, false);
  await openFirstInvoice(page);

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

  // A bad quantity is named when issuing, gets the cursor, and nothing is saved nor issued.
  await page.getByLabel('Quantité').nth(2).fill('-1');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await expect(page.locator('.line-errors').nth(2)).toContainText('Pour déduire un montant');
  await expect(page.getByLabel('Quantité').nth(2)).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await expect(page.getByTestId('confirm-issue')).toHaveCount(0);
  await page.getByLabel('Quantité').nth(2).fill('1');

  // Issuing asks first, with what will be issued and the number it takes; going back changes nothing.
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  const confirm = page.getByTestId('confirm-issue');
  await expect(confirm.getByTestId('confirm-number')).toHaveText(/^F-\d{4}-0001$/);
  await expect(confirm.getByRole('heading')).toHaveText(/Émettre la facture F-\d{4}-0001 \?/);
  await expect(confirm.getByTestId('confirm-total')).toHaveText('1 403,24 €');
  await expect(confirm).toContainText('Boulangerie Martin');
  await expect(confirm.getByRole('heading')).toBeFocused();
  await confirm.screenshot({ path: testInfo.outputPath('issue-confirmation.png') });
  await confirm.getByRole('button', { name: 'Revenir à la facture' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page).toHaveURL(/\/factures\/nouvelle$/);
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await hydrated(page);
  await expect(page.locator('.total-ttc')).toHaveText('1 403,24 €');
  // The address names the invoice: a reload shows it again, not an empty form.
  await expect(page).toHaveURL(/\/factures\/\d+$/);
  await page.reload();
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);

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
  await hydrated(page);
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

test('a refused issue leaves no draft behind and loses nothing; deleting a draft asks first', async ({ page }) => {
  await readyAccount(page);
  await openFirstInvoice(page);
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Conseil');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('100');
  // Dated in the future: only the server knows today, and it refuses.
  await page.getByLabel('Date de la facture').fill('2099-01-15');
  await page.getByLabel('Échéance').fill('2099-02-14');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  await expect(page.getByText("La date d'émission ne peut pas être dans le futur.")).toBeVisible();
  await expect(page.getByLabel('Date de la facture')).toBeFocused();
  await expect(page.getByLabel('Description').nth(0)).toHaveValue('Conseil');
  await expect(page).toHaveURL(/\/factures\/nouvelle$/);
  await page.getByRole('link', { name: 'Factures' }).click();
  await expect(page.getByText('Créer ma première facture')).toBeVisible();

  // A draft kept on purpose is deleted only once confirmed.
  await page.getByText('Créer ma première facture').click();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Description').nth(0).fill('Atelier');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(page).toHaveURL(/\/factures\/\d+$/);
  await page.getByRole('button', { name: 'Supprimer le brouillon' }).click();
  const confirm = page.getByTestId('confirm-delete');
  await expect(confirm.getByRole('heading', { name: 'Supprimer ce brouillon ?' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Garder le brouillon' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByLabel('Description').nth(0)).toHaveValue('Atelier');
  await page.getByRole('button', { name: 'Supprimer le brouillon' }).click();
  await page.getByRole('button', { name: 'Supprimer définitivement' }).click();
  await expect(page).toHaveURL(/\/factures$/);
  await expect(page.getByText('Créer ma première facture')).toBeVisible();
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
  // The credit note has its own address: a reload shows it again.
  await expect(page).toHaveURL(/\/factures\/\d+$/);
  expect(page.url()).not.toBe(invoiceUrl);
  await page.reload();
  await expect(page.locator('.invoice-number')).toHaveText(/Avoir A-\d{4}-0001/);

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
