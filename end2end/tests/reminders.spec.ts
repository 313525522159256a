import { type APIRequestContext, type Page } from '@playwright/test';
import { expect, hydrated, issueFirstInvoice, onlineAccount, payByCard, test } from './helpers';

/**
 * Moves the server's clock (REGLO_TEST_CLOCK, refused by release builds) to `at`, or back to the
 * machine's time with `null`; the server then runs its reminders' pass at once.
 */
async function setClock(request: APIRequestContext, at: Date | null): Promise<number> {
  const res = await request.post('/_test/clock', { data: { now: at ? Math.floor(at.getTime() / 1000) : null } });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).reminders_queued;
}

/** The invoice page's due date, plus `days`, at 08:00 UTC (09:00 or 10:00 in Paris). */
async function afterDue(page: Page, days: number): Promise<Date> {
  // The invoice may still be loading: wait for its due date to show.
  await expect(page.locator('main')).toContainText(/Échéance : \d{2}\/\d{2}\/\d{4}/);
  const text = (await page.locator('main').textContent()) ?? '';
  const [, d, m, y] = text.match(/Échéance : (\d{2})\/(\d{2})\/(\d{4})/) ?? [];
  expect(y, text).toBeTruthy();
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + days, 8, 0));
}

// Whatever happens, the next tests run on the machine's time.
test.afterEach(async ({ request }) => {
  await setClock(request, null);
});

test('an overdue invoice gets its J+1 reminder with the pay link, the client pays, no J+8 follows', async ({ page, context, request }) => {
  await onlineAccount(page);

  // The policy is on for a new business, its steps shown before any reminder goes out.
  await page.getByRole('link', { name: 'Relances' }).click();
  await hydrated(page);
  await expect(page.getByLabel('Relancer automatiquement les factures impayées')).toBeChecked();
  await expect(page.getByTestId('reminder-plan').locator('li')).toHaveText([
    /J−3 — 3 jours avant l'échéance/, /J\+1 — 1 jour après/, /J\+8/, /J\+15/,
  ]);
  // A typo is explained before saving, and nothing is saved.
  await page.getByLabel(/Jours des relances/).fill('J-3, J+1, demain');
  await expect(page.getByText('« demain » n\'est pas un jour')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enregistrer' })).toBeDisabled();
  await page.getByLabel(/Jours des relances/).fill('J-3, J+1, J+8, J+15');

  await issueFirstInvoice(page);
  await expect(page.getByTestId('next-reminder')).toContainText('J−3');
  await page.getByRole('link', { name: 'Factures' }).click();
  await page.getByRole('link', { name: /F-\d{4}-0001/ }).click();
  await expect(page).toHaveURL(/\/factures\/\d+$/);
  const invoiceUrl = page.url();

  // The day after the due date, at 09:00 in Paris: J+1 goes out (J−3 was missed: never sent).
  const dayAfter = await afterDue(page, 1);
  expect(await setClock(request, dayAfter)).toBeGreaterThanOrEqual(1);
  await setClock(request, null);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.reminders-sent li')).toHaveText([/Relance J\+1 envoyée le/]);
  await expect(page.getByTestId('next-reminder')).toContainText('J+8');
  await expect(page.locator('.timeline')).toContainText('Relance automatique J+1 envoyée à compta@martin.fr');
  await expect(page.getByRole('link', { name: 'Mise en demeure (PDF)' })).toHaveCount(0);

  // The reminder, in the « Boîte d'envoi »: late, with the penalties, the indemnity and the link.
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await page.getByRole('link', { name: /Facture F-\d{4}-0001 échue : 120,00\s€ à régler/ }).click();
  await expect(page.locator('pre.mail-text')).toContainText('1 jour(s) de retard');
  await expect(page.locator('pre.mail-text')).toContainText('indemnité forfaitaire pour frais de recouvrement de 40,00');
  const mail = page.frameLocator('iframe[title="Contenu de l\'e-mail"]');
  const payLink = await mail.getByRole('link', { name: 'Payer la facture' }).getAttribute('href');
  expect(payLink).toMatch(/\/pay\/[0-9a-f]{64}$/);

  // The client follows it and pays.
  const client = await context.newPage();
  await client.goto(payLink!);
  await client.getByRole('button', { name: 'Payer la facture' }).click();
  await payByCard(client, '4242 4242 4242 4242');
  await expect(client.getByText(/Facture réglée le \d{2}\/\d{2}\/\d{4} — merci !/)).toBeVisible({ timeout: 20_000 });

  // J+8 comes: nothing more for this invoice.
  await setClock(request, new Date(dayAfter.getTime() + 7 * 24 * 3600 * 1000));
  await setClock(request, null);
  await page.goto(invoiceUrl);
  await hydrated(page);
  await expect(page.locator('.invoice-status')).toHaveText('Payée');
  await expect(page.locator('.reminders-sent li')).toHaveCount(1);
  await expect(page.getByTestId('next-reminder')).toHaveCount(0);
  await expect(page.locator('.timeline')).not.toContainText('J+8');
  await page.getByRole('link', { name: "Boîte d'envoi" }).first().click();
  await expect(page.getByRole('link', { name: /Deuxième relance/ })).toHaveCount(0);
});
