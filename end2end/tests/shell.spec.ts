import { test, expect } from './fixtures';
import { signIn, hydrated } from './support';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, locale: 'en-US' });

  test('pages are rendered on the server, data included', async ({ page }) => {
    await signIn(page, 'demo-user', '/console');
    await expect(page.getByRole('heading', { level: 1, name: 'User console' })).toBeVisible();
    await expect(page.getByText('Equipment in total')).toBeVisible();
    // Nothing hydrated the page: the server-rendered state is still shown.
    await expect(page.locator('[data-hydrated="false"]')).toHaveCount(1);
  });

  test('the language link works as a plain link', async ({ page }) => {
    await signIn(page, 'demo-user');
    await page.getByRole('link', { name: '中文' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('设备通');
  });
});

test.describe('with JavaScript', () => {
  test.use({ locale: 'en-US' });

  test('the page hydrates and a click switches language in place', async ({ page }) => {
    await signIn(page, 'demo-user');
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('your organisation');

    // A marker survives only if the click does not reload the page.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByRole('link', { name: '中文' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('单位设备');
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('your organisation');
  });

  test('navigation leads to both consoles', async ({ page }) => {
    await signIn(page, 'demo-leader');
    // A leader's pages are folded into the "Leader" menu of the header.
    await page.locator('summary', { hasText: 'Leader' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Leader console' }).click();
    await expect(page).toHaveURL(/\/leader$/);
    await expect(page.getByRole('columnheader', { name: 'Department' })).toBeVisible();
    await expect(page.getByRole('cell', { name: '研发中心' })).toBeVisible();
  });
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('Accept-Language picks Simplified Chinese', async ({ page }) => {
    await signIn(page, 'demo-user');
    await expect(page.getByRole('link', { name: '用户工作台' }).first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  });
});

test('an unknown address shows the styled 404 page', async ({ page }) => {
  await signIn(page, 'demo-user');
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('link', { name: /Back to home|返回首页/ })).toBeVisible();
});

test('the built files carry their hash, are cached for a year and sent compressed', async ({ page }) => {
  const assets: { url: string; cache: string; encoding: string }[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/pkg/')) {
      const headers = response.headers();
      assets.push({ url: response.url(), cache: headers['cache-control'] ?? '', encoding: headers['content-encoding'] ?? '' });
    }
  });
  const document = await page.goto('/login');
  expect(document!.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
  await hydrated(page);
  const names = assets.map((a) => new URL(a.url).pathname);
  for (const kind of ['js', 'wasm', 'css']) {
    expect(names, kind).toContainEqual(expect.stringMatching(new RegExp(`^/pkg/equipflow\\.[\\w-]+\\.${kind}$`)));
  }
  for (const asset of assets) {
    expect(asset.cache, asset.url).toBe('public, max-age=31536000, immutable');
  }
  // JavaScript and CSS compressed on the fly in a debug build (its wasm is not).
  const script = assets.find((a) => a.url.endsWith('.js'))!;
  expect(script.encoding, script.url).toMatch(/^(br|gzip)$/);
});
