import { test, expect, type Page } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { signIn, hydrated } from './support';

// The main pages, checked by axe-core against WCAG 2.1 A and AA (labels,
// names, contrast, landmarks, ARIA) after hydration, in both languages.
const PAGES: Record<string, string[]> = {
  'demo-user': ['/', '/console', '/equipment', '/requests', '/requests/new', '/notifications', '/statistics', '/account/password'],
  'demo-leader': ['/leader', '/leader/approvals', '/leader/people', '/leader/statistics', '/leader/audit'],
  'demo-admin': ['/admin/catalogue', '/admin/equipment/new', '/admin/equipment/import', '/admin/dead-letters'],
};

async function violations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

test('the sign-in page passes axe-core', async ({ page }) => {
  await page.goto('/login');
  expect(await violations(page)).toEqual([]);
});

for (const [user, paths] of Object.entries(PAGES)) {
  for (const locale of ['en-US', 'zh-CN']) {
    test(`${user}'s main pages pass axe-core (${locale})`, async ({ browser }) => {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await signIn(page, user, paths[0]);
      for (const path of paths) {
        await page.goto(path);
        await hydrated(page);
        expect(await violations(page), path).toEqual([]);
      }
      await context.close();
    });
  }
}

test('an equipment page with its QR label passes axe-core', async ({ page }) => {
  await signIn(page, 'demo-user', '/equipment');
  await page.locator('table.equipment-table tbody tr').first().locator('a.asset-code').click();
  await expect(page).toHaveURL(/\/equipment\/\d+$/);
  expect(await violations(page)).toEqual([]);
});
