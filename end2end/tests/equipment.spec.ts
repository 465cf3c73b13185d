import { test, expect, type Page } from './fixtures';
import { signIn, hydrated } from './support';

test.use({ locale: 'en-US' });

const rows = (page: Page) => page.locator('table.equipment-table tbody tr');

test('filter by status and keyword; the address keeps the filter', async ({ page }) => {
  await signIn(page, 'demo-user', '/equipment');
  await expect(page.getByRole('heading', { level: 1, name: 'Equipment' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Status').selectOption('in_use');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/status=in_use/);
  await expect(rows(page).first()).toBeVisible();
  const badges = await rows(page).locator('.badge').allTextContents();
  expect(badges.length).toBeGreaterThan(0);
  expect(new Set(badges)).toEqual(new Set(['In use']));

  // A keyword narrows further; a bookmark of this address shows the same list.
  const code = (await rows(page).first().locator('.asset-code').textContent())!.trim();
  await page.getByLabel('Keyword').fill(code);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${code}`));
  await expect(rows(page)).toHaveCount(1);
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByLabel('Status')).toHaveValue('in_use');
});

test('page through numbered pages and load more by cursor', async ({ page }) => {
  await signIn(page, 'demo-user', '/equipment');
  await hydrated(page);
  await expect(rows(page)).toHaveCount(20);
  const firstPage = await rows(page).locator('.asset-code').allTextContents();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: '2', exact: true }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.locator('.pager-current')).toHaveText('2');
  const secondPage = await rows(page).locator('.asset-code').allTextContents();
  expect(secondPage).toHaveLength(20);
  expect(secondPage.filter((c) => firstPage.includes(c))).toEqual([]);

  // "Load more" appends the next keyset page in place.
  await page.getByRole('link', { name: 'Load more' }).click();
  await expect(rows(page)).toHaveCount(40);
  await expect(page).toHaveURL(/page=2/);
  const both = await rows(page).locator('.asset-code').allTextContents();
  expect(new Set(both).size).toBe(40);
});

test('a detail page shows the holder, the history and a QR label', async ({ page }) => {
  await signIn(page, 'demo-user', '/equipment?status=in_use');
  const link = rows(page).first().locator('a.asset-code');
  const code = (await link.textContent())!.trim();
  await link.click();
  await expect(page).toHaveURL(/\/equipment\/\d+$/);
  await expect(page.locator('.detail-head code')).toHaveText(code);
  await expect(page.getByTestId('holder')).not.toHaveText('Nobody (in store)');
  const qr = page.getByTestId('qr-label').getByRole('img');
  await expect(qr).toBeVisible();
  // The image loaded (an SVG from /equipment/{id}/label.svg) and has its size.
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = await qr.boundingBox();
  expect(box!.width).toBeGreaterThan(100);
  await expect(page.getByTestId('qr-label')).toContainText(page.url());
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
});

test('an admin creates an item and a user finds it at once', async ({ browser }) => {
  const code = `E2E-${Date.now()}`;
  const admin = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(admin, 'demo-admin', '/admin/equipment/new');
  await hydrated(admin);
  // An empty form: every required field is marked at once.
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText('Please correct the marked fields.')).toBeVisible();
  await expect(admin.locator('#asset_code-error')).toHaveText('Enter an asset code.');
  await expect(admin.locator('#name-error')).toHaveText('Enter a name.');
  await expect(admin.locator('#category_id-error')).toHaveText('Choose one.');

  await admin.getByLabel('Asset code').fill(code);
  await admin.getByLabel('Name', { exact: true }).fill('Oscilloscope for e2e');
  await admin.getByLabel('Category').selectOption({ label: '实验仪器 (LAB)' });
  await admin.getByLabel('Department').selectOption({ index: 1 });
  await admin.getByLabel('Purchase price (yuan)').fill('3999.90');
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin).toHaveURL(/\/equipment\/\d+$/);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Oscilloscope for e2e');
  await expect(admin.getByText('¥3999.90')).toBeVisible();

  const user = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(user, 'demo-user', `/equipment?q=${code}`);
  await expect(rows(user)).toHaveCount(1);
  await expect(rows(user).first()).toContainText('Oscilloscope for e2e');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('filters, pages and "load more" are plain links and forms', async ({ page }) => {
    await signIn(page, 'demo-user', '/equipment');
    await page.getByLabel('Status').selectOption('available');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/status=available/);
    await page.getByRole('link', { name: 'Load more' }).click();
    await expect(page).toHaveURL(/cursor=v1\./);
    await expect(rows(page)).not.toHaveCount(0);
    expect(new Set(await rows(page).locator('.badge').allTextContents())).toEqual(new Set(['Available']));
    await expect(page.getByRole('link', { name: 'Back to page 1' })).toBeVisible();
  });
});
