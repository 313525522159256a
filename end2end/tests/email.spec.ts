import { expect, hydrated, issueConsulting, test } from './helpers';

test('an invoice is sent by e-mail, then read in the « Boîte d\'envoi »', async ({ page }) => {
  await issueConsulting(page);
  await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
  await expect(page.getByLabel('Objet')).toHaveValue(/Facture F-\d{4}-0001 — Marie Dupont EI/);
  // The preview follows the typing, with the amount and due date around the message.
  await page.getByLabel('Message').fill('Bonjour,\n\nVoici la facture du conseil.');
  const preview = page.frameLocator('iframe[title="Aperçu de l\'e-mail"]');
  await expect(preview.getByText('Voici la facture du conseil.')).toBeVisible();
  await expect(preview.getByText('120,00 €')).toBeVisible();

  // No address yet for this client: the field says so, nothing is sent.
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText('Indiquez au moins un destinataire.')).toBeVisible();
  await page.getByLabel('Destinataires').fill('compta@martin.fr');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText("E-mail mis en file d'envoi.")).toBeVisible();
  await expect(page.locator('.invoice-status')).toHaveText('Envoyée');
  await expect(page.locator('.timeline')).toContainText('Envoyée à compta@martin.fr');

  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await expect(page.getByRole('heading', { name: "Boîte d'envoi" })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'compta@martin.fr' })).toBeVisible();
  await expect(async () => {
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'compta@martin.fr' });
    await expect(row.getByRole('cell', { name: 'Envoyé', exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });
  await page.getByRole('link', { name: /Facture F-\d{4}-0001/ }).click();
  await expect(page.locator('.mail-subject')).toHaveText(/Facture F-\d{4}-0001/);
  await expect(page.getByText(/Pièce jointe : Facture F-\d{4}-0001\.pdf/)).toBeVisible();
  const mail = page.frameLocator('iframe[title="Contenu de l\'e-mail"]');
  await expect(mail.getByText('Voici la facture du conseil.')).toBeVisible();
});

test('e-mail texts are edited in the settings, unknown placeholders refused', async ({ page }) => {
  await issueConsulting(page);
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await page.getByRole('link', { name: 'E-mails' }).click();
  await hydrated(page);
  const subject = page.locator('#modele-invoice_sent-objet');
  await subject.fill('Facture {num}');
  await expect(page.getByText(/Variable inconnue : \{num\}/)).toBeVisible();
  await subject.fill('Votre facture {numero}');
  await page.getByRole('button', { name: 'Enregistrer le modèle' }).first().click();
  await expect(page.getByText('Modèle enregistré.')).toBeVisible();

  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByRole('link', { name: /F-\d{4}-0001/ }).click();
  await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
  await expect(page.getByLabel('Objet')).toHaveValue(/^Votre facture F-\d{4}-0001$/);
});
