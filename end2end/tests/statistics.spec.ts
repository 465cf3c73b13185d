import { test, expect, type Locator } from './fixtures';
import { signIn } from './support';

test.use({ locale: 'en-US' });

// The demo seed's 200 items: of every 50, 5 in use, 2 under repair, 1 scrapped
// (server/src/seed/demo.rs). scripts/test keeps the snapshot the server
// computed at start-up for the whole run, so later tests' loans do not show.
const SEEDED = { Available: 168, 'In use': 20, 'Under repair': 8, Scrapped: 4 };

async function tableRows(figure: Locator): Promise<Record<string, number>> {
  const rows = figure.locator('tbody tr');
  const out: Record<string, number> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out[(await row.locator('th').textContent())!.trim()] = Number(await row.locator('td').first().textContent());
  }
  return out;
}

test('the statistics page shows charts beside tables that hold the seeded numbers', async ({ page }) => {
  await signIn(page, 'demo-admin', '/leader/statistics');
  await expect(page.getByRole('heading', { level: 1, name: 'Statistics' })).toBeVisible();
  await expect(page.getByTestId('stats-freshness')).toContainText('Figures as of');
  await expect(page.getByTestId('stats-total')).toHaveText('200');

  const byStatus = page.getByTestId('figure-status');
  expect(await tableRows(byStatus)).toEqual(SEEDED);
  // The chart is a real image the server drew, named for screen readers.
  const chart = byStatus.locator('img.chart');
  await expect(chart).toHaveAttribute('alt', /Equipment by status/);
  await chart.scrollIntoViewIfNeeded();
  await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  // Categories add up to the same 200; the CSV download carries the table.
  const categories = Object.values(await tableRows(page.getByTestId('figure-categories')));
  expect(categories.reduce((a, b) => a + b, 0)).toBe(200);
  const download = page.waitForEvent('download');
  await byStatus.getByRole('link', { name: 'Download CSV' }).click();
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(chunk as Buffer);
  const csv = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  expect(csv.trim().split(/\r?\n/)).toEqual([
    'Status,Items',
    ...Object.entries(SEEDED).map(([status, n]) => `${status},${n}`),
  ]);

  // A department chosen from the list narrows every figure.
  const rnd = await page.locator('#stats-department option', { hasText: '研发中心' }).getAttribute('value');
  await page.getByLabel('Department', { exact: true }).selectOption(rnd!);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/department=\d+/);
  const narrowed = Number(await page.getByTestId('stats-total').textContent());
  expect(narrowed).toBeGreaterThan(0);
  expect(narrowed).toBeLessThan(200);
});

test('a user sees their own requests by month and the items they hold', async ({ page }) => {
  await signIn(page, 'demo-user', '/statistics');
  await expect(page.getByRole('heading', { level: 1, name: 'My statistics' })).toBeVisible();
  const months = page.getByTestId('figure-requests-by-month');
  await expect(months.locator('img.chart')).toBeVisible();
  await expect(months.locator('tbody tr')).toHaveCount(12);
  // demo-user holds the seed's in-use items (and any loans approved since).
  const held = page.getByTestId('figure-holding').locator('tbody tr');
  expect(await held.count()).toBeGreaterThanOrEqual(20);
});
