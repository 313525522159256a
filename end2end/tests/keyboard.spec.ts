import { type Locator, type Page } from '@playwright/test';
import { expect, hydrated, onlineAccount, test } from './helpers';

/**
 * Presses Tab until `target` has the focus: it is reached with the keyboard, in page order, and
 * shows that it has the focus. Fails after 80 presses: a control left out, or a trap.
 */
async function tabTo(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < 80; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      });
      expect(ring, 'the focused control shows it').toBe(true);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error('not reached with Tab');
}

test('the mission with the keyboard alone: an invoice with its pay link issued, e-mailed and paid', async ({ page, context }) => {
  // Set up with the mouse: an account taking online payment, one client with an address.
  await onlineAccount(page);
  await page.goto('/');
  await hydrated(page);

  // The entrepreneur: Tab, Enter and Space only.
  await tabTo(page, page.getByRole('link', { name: 'Factures', exact: true }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('link', { name: 'Créer ma première facture' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Nouvelle facture' })).toBeVisible();
  await tabTo(page, page.getByLabel('Client'));
  await page.keyboard.type('Boulangerie');
  await expect(page.getByLabel('Client').locator('option:checked')).toHaveText('Boulangerie Martin');
  await tabTo(page, page.getByLabel('Description').nth(0));
  await page.keyboard.type('Conseil');
  await tabTo(page, page.getByLabel('Prix unitaire HT (€)').nth(0));
  await page.keyboard.type('100');
  await expect(page.locator('.total-ttc')).toHaveText('120,00 €');
  await expect(page.getByLabel('Lien de paiement')).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Émettre la facture' }));
  await page.keyboard.press('Enter');
  // The confirmation takes the focus, and confirming is a few Tabs away.
  await expect(page.getByTestId('confirm-issue').getByRole('heading')).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: "Confirmer l'émission" }));
  await page.keyboard.press('Space');
  await expect(page.locator('.invoice-number')).toHaveText(/Facture F-\d{4}-0001/);
  await hydrated(page);

  await tabTo(page, page.getByRole('button', { name: 'Envoyer par e-mail' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Destinataires')).toHaveValue('compta@martin.fr');
  await tabTo(page, page.getByRole('button', { name: 'Envoyer', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByText("E-mail mis en file d'envoi.")).toBeVisible();
  const payLink = (await page.locator('.pay-link code').textContent())!;

  // The client, with the keyboard too: the pay page, then Checkout.
  const client = await context.newPage();
  await client.goto(payLink);
  await tabTo(client, client.getByRole('button', { name: 'Payer la facture' }));
  await client.keyboard.press('Enter');
  await expect(client.getByText('Mode test — aucun paiement réel')).toBeVisible();
  const card: [string, string][] = [
    ['Numéro de carte', '4242 4242 4242 4242'],
    ['Expiration', '12 / 34'],
    ['CVC', '123'],
    ['Titulaire de la carte', 'Paul Martin'],
  ];
  for (const [label, value] of card) {
    await tabTo(client, client.getByLabel(label));
    await client.keyboard.type(value);
  }
  await tabTo(client, client.getByRole('button', { name: /^Payer / }));
  await client.keyboard.press('Enter');
  await expect(client.getByText(/Facture réglée le \d{2}\/\d{2}\/\d{4} — merci !/)).toBeVisible({ timeout: 20_000 });

  // The entrepreneur's page, open all along, says so by itself.
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
});
