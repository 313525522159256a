import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'un mot de passe solide';

export function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@exemple.fr`;
}

/** Waits until the WASM app has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

/** Creates an account through the sign-up page; ends on the business profile. */
export async function signUp(page: Page, email: string) {
  await page.goto('/inscription');
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmez le mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page).toHaveURL(/\/parametres\/entreprise$/);
}
