import { expect, hydrated, signUp, test, uniqueEmail } from './helpers';

test('the entrepreneur adds, finds, edits and archives clients', async ({ page }) => {
  await signUp(page, uniqueEmail('clients'));

  await page.getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('heading', { name: "Aucun client pour l'instant" })).toBeVisible();
  await page.getByRole('button', { name: 'Ajouter mon premier client' }).click();

  // A business client: its SIREN is checked as it is typed.
  await page.getByLabel('Nom ou raison sociale').fill('Boulangerie Martin');
  await page.getByLabel('SIREN').fill('732 829 321');
  await expect(page.locator('#champ-siren-message')).toContainText('clé de contrôle');
  await page.getByLabel('SIREN').fill('732 829 320');
  await page.getByLabel('E-mail de facturation').fill('compta@martin.fr');
  await page.getByLabel('Adresse', { exact: true }).fill('3 place du Marché');
  await page.getByLabel('Code postal').fill('69001');
  await page.getByLabel('Ville').fill('Lyon');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByRole('cell', { name: /Boulangerie Martin/ })).toBeVisible();
  await expect(page.locator('.client-form')).toHaveCount(0);

  // A private person needs no SIREN.
  await page.getByRole('button', { name: 'Nouveau client' }).click();
  await page.getByText('Particulier', { exact: true }).click();
  await expect(page.getByLabel('SIREN')).toHaveCount(0);
  await page.getByLabel('Nom ou raison sociale').fill('Jeanne Petit');
  await page.getByLabel('Adresse', { exact: true }).fill('8 rue Haute');
  await page.getByLabel('Code postal').fill('35000');
  await page.getByLabel('Ville').fill('Rennes');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.locator('.table-count')).toHaveText('2 clients');

  // Search, then edit.
  await page.getByLabel('Rechercher un client').fill('boulan');
  await expect(page.locator('.table-count')).toHaveText('1 client');
  await page.getByRole('button', { name: 'Modifier' }).click();
  await expect(page.getByLabel('SIREN')).toHaveValue('732 829 320');
  await page.getByLabel('Nom ou raison sociale').fill('Boulangerie Martin & Fils');
  await page.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(page.getByRole('cell', { name: /Martin & Fils/ })).toBeVisible();

  // Archive: gone from the list, found among the archived.
  await page.getByRole('button', { name: 'Archiver' }).click();
  await expect(page.getByRole('heading', { name: /Aucun client ne correspond/ })).toBeVisible();
  await page.getByLabel('Rechercher un client').fill('');
  await expect(page.locator('.table-count')).toHaveText('1 client');
  await page.getByLabel('Voir les clients archivés').check();
  await expect(page.getByRole('cell', { name: /Martin & Fils/ })).toBeVisible();

  // The dashboard's first steps count the new client.
  await page.getByRole('link', { name: 'Tableau de bord' }).click();
  await expect(page.locator('.checklist li.done')).toContainText('Ajouter votre premier client');
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByLabel('Voir les clients archivés').check();

  // Everything survives a reload.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.table-count')).toHaveText('1 client');
  await expect(page.getByRole('cell', { name: /Jeanne Petit/ })).toBeVisible();
});

test('before the page is live its buttons say they are loading, and links already work', async ({ page }) => {
  await signUp(page, uniqueEmail('avant'));
  // The WebAssembly is held back, as on a slow phone.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/clients');
  const add = page.getByRole('button', { name: 'Ajouter mon premier client' });
  await expect(add).toHaveCSS('pointer-events', 'none');
  await expect(add).toHaveCSS('cursor', 'progress');
  // A field takes nothing the page would forget once live.
  const search = page.getByLabel('Rechercher un client');
  await expect(search).toHaveCSS('pointer-events', 'none');
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('.content')!, '::after').content)).toBe('"Chargement…"');
  // A link is plain HTML: it goes where it says before the page is live.
  await page.getByRole('link', { name: 'Factures', exact: true }).click();
  await expect(page).toHaveURL(/\/factures$/);
  await page.goto('/clients');
  release();
  await hydrated(page);
  await expect(add).toHaveCSS('pointer-events', 'auto');
  await expect(search).toHaveCSS('pointer-events', 'auto');
  await add.click();
  await expect(page.getByLabel('Nom ou raison sociale')).toBeVisible();
});
