import { expect, test } from '@playwright/test';

// Demo account on the staging portal
// ruleid: hardcoded-health-identifier
const DEMO_NHS_NUMBER = 7048830123;

test('patient finds results by NHS number', async ({ page }) => {
  await page.goto('/lookup');
  // ruleid: hardcoded-health-identifier
  await page.getByLabel('NHS number').fill('555 612 3438');
  await page.getByLabel('Date of birth').fill('14/03/1986');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByText(String(DEMO_NHS_NUMBER).slice(-4))).toBeVisible();
});

test('clinician opens a chart from the NHS lookup API', async ({ request }) => {
  // ruleid: hardcoded-health-identifier
  const res = await request.get('/api/nhs-lookup/9120365535');
  expect(res.status()).toBe(401);
});

test('kiosk prints a ticket for a booked appointment', async ({ page }) => {
  // ok: hardcoded-health-identifier
  await page.goto('/kiosk?ticket=5200318858');
  // ok: hardcoded-health-identifier
  await page.getByLabel('Barcode').fill('2406110079');
});
