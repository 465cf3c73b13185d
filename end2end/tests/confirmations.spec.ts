// Irreversible actions ask first: with JavaScript a dialog, without it a page.
import { expect, test } from './fixtures';
import { fileRequest, openOwnAvailableItems, signIn, hydrated } from './support';

test.use({ locale: 'en-US' });

/** Files a repair on the `nth` available item of demo-user's department. */
async function fileOne(page: import('./fixtures').Page, nth: number): Promise<string> {
  await openOwnAvailableItems(page);
  const link = page.locator('table.equipment-table tbody tr a.asset-code').nth(nth);
  const code = (await link.textContent())!.trim();
  const id = Number((await link.getAttribute('href'))!.split('/').pop());
  await fileRequest(page, id, 'repair', 'Keyboard sticks');
  return code;
}

test('withdrawing a request asks in a dialog; going back changes nothing', async ({ page }) => {
  await signIn(page, 'demo-user');
  const code = await fileOne(page, 5);
  await page.goto('/requests?status=pending');
  await hydrated(page);
  const row = page.getByTestId('request-row').filter({ hasText: code });

  await row.getByRole('button', { name: 'Withdraw' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Withdraw this request? Repair: ${code}`);
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Pending');

  await row.getByRole('button', { name: 'Withdraw' }).click();
  await dialog.getByRole('button', { name: 'Withdraw' }).click();
  await expect(row, 'gone from the pending requests').toHaveCount(0);
  await page.goto('/requests?status=cancelled');
  await expect(page.getByTestId('request-row').filter({ hasText: code })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('withdrawing a request asks on a page of its own, then comes back', async ({ page }) => {
    await signIn(page, 'demo-user');
    const code = await fileOne(page, 7);
    await page.goto('/requests?status=pending');
    const row = page.getByTestId('request-row').filter({ hasText: code });
    await row.getByRole('button', { name: 'Withdraw' }).click();
    await expect(page).toHaveURL(/\/confirm\/cancel-request\/\d+/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
    await page.getByRole('button', { name: 'Withdraw' }).click();
    await expect(page).toHaveURL(/\/requests\?status=pending$/);
    await page.goto('/requests?status=cancelled');
    await expect(page.getByTestId('request-row').filter({ hasText: code })).toBeVisible();
  });
});
