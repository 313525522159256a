import { test as base, expect, type Page } from '@playwright/test';

export { expect };

/**
 * Every test fails if a page of its browser context throws: a panic in the WASM, a hydration
 * that does not match the server's markup, or any other uncaught error, even where the page
 * still looks right.
 */
export const test = base.extend<{ noPageErrors: void }>({
  noPageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on('weberror', (e) => errors.push(`${e.page()?.url() ?? ''}: ${e.error().stack ?? e.error().message}`));
      await use();
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export const PASSWORD = 'un mot de passe solide';

export function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@exemple.fr`;
}

/** Waits until the WASM app has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

/**
 * Creates an account through the sign-up page, logs in, and confirms the address with the link
 * e-mailed to it (read in the « Boîte d'envoi », as on a fresh machine); ends on the business
 * profile.
 */
export async function signUp(page: Page, email: string) {
  await createAccount(page, email);
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await page.getByRole('link', { name: 'Confirmez votre adresse e-mail — Reglo' }).click();
  const text = (await page.locator('pre.mail-text').textContent()) ?? '';
  const link = text.match(/https?:\/\/\S+\/confirmer\/\S+/)?.[0];
  expect(link, text).toBeTruthy();
  await page.goto(link!);
  await page.goto('/parametres/entreprise');
  await expect(page.getByTestId('confirm-email')).toHaveCount(0);
  // Its fields take input once the page is live.
  await hydrated(page);
}

/** Creates an account through the sign-up page and logs in: the dashboard, address unconfirmed. */
export async function createAccount(page: Page, email: string) {
  await page.goto('/inscription');
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmez le mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page).toHaveURL(/\/connexion\?inscription=1$/);
  await expect(page.getByText("C'est noté : un e-mail vient de partir")).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByTestId('confirm-email')).toContainText(email);
}

/** A new account with a complete profile (VAT-registered), and one client unless told not to. */
export async function readyAccount(page: Page, withClient = true, clientEmail = '') {
  await signUp(page, uniqueEmail('factures'));
  await page.getByLabel("Nom de l'entreprise").fill('Marie Dupont');
  await page.getByLabel('Numéro SIRET').fill('732 829 320 00074');
  await page.getByLabel('Adresse', { exact: true }).fill('12 rue des Lilas');
  await page.getByLabel('Code postal').fill('75011');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByLabel('E-mail de contact').fill('contact@marie-dupont.fr');
  await page.getByText('Assujetti à la TVA').click();
  await page.getByLabel('Numéro de TVA intracommunautaire').fill('FR44732829320');
  // Invoices accept « Virement » by default: an e-invoice paid by transfer names the IBAN.
  await page.getByLabel('IBAN (facultatif)').fill('FR76 3000 6000 0112 3456 7890 189');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Profil enregistré.')).toBeVisible();
  if (!withClient) return;

  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('button', { name: 'Ajouter mon premier client' }).click();
  await page.getByLabel('Nom ou raison sociale').fill('Boulangerie Martin');
  await page.getByLabel('SIREN').fill('732 829 320');
  if (clientEmail) await page.getByLabel('E-mail de facturation').fill(clientEmail);
  await page.getByLabel('Adresse', { exact: true }).fill('3 place du Marché');
  await page.getByLabel('Code postal').fill('69001');
  await page.getByLabel('Ville').fill('Lyon');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByRole('cell', { name: /Boulangerie Martin/ })).toBeVisible();
}

/** A new account's first invoice: one line of consulting, 100 € HT, 120 € TTC. */
export async function issueConsulting(page: Page) {
  await readyAccount(page);
  await issueFirstInvoice(page);
}

/**
 * « Factures » → « Créer ma première facture », until the editor is live: the server renders it
 * first, and its fields take input once its island has hydrated.
 */
export async function openFirstInvoice(page: Page) {
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByText('Créer ma première facture').click();
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await hydrated(page);
}

/** The account's first invoice, to Boulangerie Martin: one line of consulting, 120 € TTC. */
export async function issueFirstInvoice(page: Page) {
  await openFirstInvoice(page);
  await page.getByLabel('Client').selectOption({ label: 'Boulangerie Martin' });
  await page.getByLabel('Description').nth(0).fill('Conseil');
  await page.getByLabel('Prix unitaire HT (€)').nth(0).fill('100');
  await page.getByRole('button', { name: 'Émettre la facture' }).click();
  await page.getByRole('button', { name: "Confirmer l'émission" }).click();
  // The new invoice opens at its own address, and its forms take input once live.
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await hydrated(page);
}

/** A new account taking online payment, « Lien de paiement » ticked by default. */
export async function onlineAccount(page: Page) {
  await readyAccount(page, true, 'compta@martin.fr');
  await activateOnlinePayment(page);
  await expect(page.getByLabel('Lien de paiement')).toBeChecked();
}

/** « Paramètres › Paiements » → « Configurer » → the sandbox's onboarding → back, active. */
export async function activateOnlinePayment(page: Page) {
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await page.getByRole('link', { name: 'Paiements' }).click();
  await expect(page.getByTestId('online-status')).toHaveText('Non configuré');
  await page.getByRole('button', { name: 'Configurer' }).click();
  await expect(page.getByText('Mode test — aucun paiement réel')).toBeVisible();
  await page.getByRole('button', { name: "Simuler l'activation" }).click();
  await expect(page).toHaveURL(/\/parametres\/paiements\?retour=1$/);
  await hydrated(page);
  await expect(page.getByTestId('online-status')).toHaveText('Actif');
}

/** Fills the sandbox's card form and pays. */
export async function payByCard(page: Page, card: string) {
  await page.getByLabel('Numéro de carte').fill(card);
  await page.getByLabel('Expiration').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Titulaire de la carte').fill('Paul Martin');
  await page.getByRole('button', { name: /^Payer / }).click();
}
