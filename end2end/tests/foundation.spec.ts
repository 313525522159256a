import { type Page } from '@playwright/test';
import path from 'node:path';
import { createAccount, expect, hydrated, PASSWORD, signUp, test, uniqueEmail } from './helpers';

function fieldMessage(page: Page, name: string) {
  return page.locator(`#champ-${name}-message`);
}

test('a new entrepreneur signs up, fills the profile, uploads a logo, and finds it all again', async ({ page }) => {
  const email = uniqueEmail('marie');

  // Visitors land on the log-in page and find the way to sign up.
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await hydrated(page);
  await page.getByRole('link', { name: 'Créer un compte' }).click();
  await expect(page).toHaveURL(/\/inscription$/);
  await signUp(page, email);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Identité' })).toBeVisible();
  await expect(page.locator('.topbar-user')).toHaveText(email);

  // The legal name gets its « EI » mention, live.
  await page.getByLabel("Nom de l'entreprise").fill('Marie Dupont');
  await expect(page.locator('.legal-name-preview')).toHaveText('Marie Dupont EI');

  // An invalid SIRET is flagged as it is typed, then accepted once corrected.
  const siret = page.getByLabel('Numéro SIRET');
  await siret.fill('732 829 320 00075');
  await expect(fieldMessage(page, 'siret')).toContainText('clé de contrôle incorrecte');
  await siret.fill('732 829 320 00074');
  await expect(fieldMessage(page, 'siret').locator('.field-error')).toHaveCount(0);

  await page.getByLabel('Adresse', { exact: true }).fill('12 rue des Lilas');
  await page.getByLabel('Code postal').fill('75011');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByLabel('E-mail de contact').fill('contact@marie-dupont.fr');

  // Same for the IBAN.
  const iban = page.getByLabel('IBAN (facultatif)');
  await iban.fill('FR76 3000 6000 0112 3456 7890 188');
  await expect(fieldMessage(page, 'iban')).toContainText('clé de contrôle incorrecte');
  // Saving is refused while a field is wrong, and says so.
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Certains champs sont à corriger.')).toBeVisible();
  await expect(iban).toBeFocused();
  await iban.fill('FR76 3000 6000 0112 3456 7890 189');
  await expect(fieldMessage(page, 'iban').locator('.field-error')).toHaveCount(0);

  // Brand colour, previewed live.
  await page.getByLabel('Couleur de votre marque').fill('#0f766e');
  await expect(page.locator('.brand-preview-bar')).toHaveCSS('background-color', 'rgb(15, 118, 110)');

  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Profil enregistré.')).toBeVisible();
  await expect(page.locator('.topbar .brand-name')).toHaveText('Marie Dupont EI');

  // Logo upload: a change typed above and not yet saved stays as typed.
  await page.getByLabel('Ville').fill('Paris 11e');
  await page.locator('#logo-file').setInputFiles(path.join(__dirname, 'fixtures', 'logo.png'));
  await page.getByRole('button', { name: 'Envoyer le logo' }).click();
  await expect(page.getByText('Logo enregistré.')).toBeVisible();
  await expect(page.getByLabel('Ville')).toHaveValue('Paris 11e');
  await expect(page).toHaveURL(/\/parametres\/entreprise$/);
  await expect(page.locator('.topbar img.brand-logo')).toBeVisible();
  await expect(page.locator('img.logo-current')).toBeVisible();

  // Everything is still there after a reload.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Nom de l'entreprise")).toHaveValue('Marie Dupont EI');
  await expect(page.getByLabel('Numéro SIRET')).toHaveValue('732 829 320 00074');
  await expect(page.getByLabel('IBAN (facultatif)')).toHaveValue('FR76 3000 6000 0112 3456 7890 189');
  await expect(page.getByLabel('Couleur de votre marque')).toHaveValue('#0f766e');
  await expect(page.locator('img.logo-current')).toBeVisible();
  await expect(page.locator('.topbar')).toHaveCSS('background-color', 'rgb(15, 118, 110)');

  // Log out: the app is closed again.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await page.goto('/parametres/entreprise');
  await expect(page).toHaveURL(/\/connexion$/);

  // Log back in: the profile is there.
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Tableau de bord' })).toBeVisible();
  await expect(page.locator('.checklist li.done')).toHaveCount(1);
  await expect(page.locator('.checklist li.done')).toContainText('Compléter le profil');
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await expect(page.getByLabel('Numéro SIRET')).toHaveValue('732 829 320 00074');
  await expect(page.locator('.topbar .brand-name')).toHaveText('Marie Dupont EI');
});

test('« Renvoyer le lien » sends the confirmation again, three times an hour', async ({ page }) => {
  await createAccount(page, uniqueEmail('renvoi'));
  const banner = page.getByTestId('confirm-email');
  for (let sent = 1; sent <= 3; sent++) {
    await page.reload();
    await hydrated(page);
    await banner.getByRole('button', { name: 'Renvoyer le lien' }).click();
    await expect(banner.getByRole('status')).toHaveText('Lien renvoyé.');
  }
  await page.reload();
  await hydrated(page);
  await banner.getByRole('button', { name: 'Renvoyer le lien' }).click();
  await expect(banner.getByRole('alert')).toHaveText('Le lien a déjà été renvoyé plusieurs fois : réessayez dans une heure.');
  // The first message and the three sent again.
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await expect(page.getByRole('link', { name: 'Confirmez votre adresse e-mail — Reglo' })).toHaveCount(4);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  const email = uniqueEmail('marie');
  await signUp(page, email);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail ou mot de passe incorrect.');
  await expect(page).toHaveURL(/\/connexion$/);
});

test('a forgotten password: the rule shown first, a link used once, every session closed', async ({ page, browser }) => {
  // The password rule is shown before anything is typed, and a common password is refused.
  await page.goto('/inscription');
  await hydrated(page);
  const rule = page.locator('#password-message');
  await expect(rule).toHaveText('Au moins 10 caractères, et pas un mot de passe courant comme 1234567890 ou azertyuiop.');
  await page.getByLabel('Adresse e-mail').fill(uniqueEmail('courant'));
  await page.getByLabel('Mot de passe', { exact: true }).fill('1234567890');
  await page.getByLabel('Confirmez le mot de passe').fill('1234567890');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(rule).toContainText('Ce mot de passe est trop courant');

  // Marie's account, logged in on this device.
  const email = uniqueEmail('oubli');
  await signUp(page, email);

  // On another device she asks for a link; an unknown address gets the very same answer.
  const origin = new URL(page.url()).origin;
  const device = await (await browser.newContext({ baseURL: origin, locale: 'fr-FR' })).newPage();
  await device.goto('/connexion');
  await hydrated(device);
  await device.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(device).toHaveURL(/\/mot-de-passe-oublie$/);
  await hydrated(device);
  await device.getByLabel('Adresse e-mail').fill(uniqueEmail('inconnue'));
  await device.getByRole('button', { name: 'Recevoir un lien' }).click();
  const answer = device.getByRole('status');
  await expect(answer).toContainText('Si un compte existe pour cette adresse');
  const unknownAnswer = await answer.textContent();
  await device.goto('/mot-de-passe-oublie');
  await hydrated(device);
  await device.getByLabel('Adresse e-mail').fill(email);
  await device.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(answer).toHaveText(unknownAnswer!);

  // The link, read in the account's « Boîte d'envoi ».
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  const mail = page.getByRole('link', { name: 'Choisissez un nouveau mot de passe — Reglo' });
  await expect(async () => {
    await page.reload();
    await expect(mail).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await mail.click();
  const text = (await page.locator('pre.mail-text').textContent()) ?? '';
  const link = text.match(/https?:\/\/\S+\/mot-de-passe\/\S+/)?.[0];
  expect(link, text).toBeTruthy();

  await device.goto(link!);
  await hydrated(device);
  await expect(device.locator('#password-message')).toContainText('Au moins 10 caractères');
  await device.getByLabel('Nouveau mot de passe').fill('un tout nouveau secret');
  await device.getByLabel('Confirmez le mot de passe').fill('un autre secret');
  await device.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(device.locator('#password_confirm-message')).toContainText('pas identiques');
  await device.getByLabel('Confirmez le mot de passe').fill('un tout nouveau secret');
  await device.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(device).toHaveURL(/\/connexion\?mot-de-passe=change$/);
  await expect(device.getByText('Mot de passe changé')).toBeVisible();

  // Every session was closed: the first device must log in again, and the old password is gone.
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await hydrated(device);
  await device.getByLabel('Adresse e-mail').fill(email);
  await device.getByLabel('Mot de passe').fill(PASSWORD);
  await device.getByRole('button', { name: 'Se connecter' }).click();
  await expect(device.getByRole('alert')).toHaveText('E-mail ou mot de passe incorrect.');
  await device.getByLabel('Mot de passe').fill('un tout nouveau secret');
  await device.getByRole('button', { name: 'Se connecter' }).click();
  await expect(device.locator('.topbar-user')).toHaveText(email);

  // The link served once.
  await device.goto(link!);
  await expect(device.getByRole('alert')).toContainText('Ce lien ne fonctionne plus');
  await device.context().close();
});
