import { test, expect } from './fixtures';
import { DEMO_PASSWORD, signIn, hydrated } from './support';

test.use({ locale: 'en-US' });

test('password login and logout', async ({ page }) => {
  await page.goto('/console');
  await expect(page).toHaveURL(/\/login\?next=\/console$/);
  await hydrated(page);
  await page.getByLabel('Account').fill('demo-user');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong account or password.');

  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole('heading', { level: 1, name: 'User console' })).toBeVisible();
  await expect(page.getByRole('link', { name: /演示用户/ })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/console');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the login form works as a plain form, errors included', async ({ page }) => {
    await page.goto('/login?next=/leader');
    await page.getByLabel('Account').fill('demo-leader');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong account or password.');
    await page.getByLabel('Account').fill('demo-leader');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/leader$/);
    await expect(page.getByRole('columnheader', { name: 'Department' })).toBeVisible();
  });
});

test('SMS login with the code from the development outbox', async ({ page, context }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'SMS code' }).click();
  await expect(page).toHaveURL(/method=sms/);
  await page.getByLabel('Phone').fill('13800000001');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('button', { name: /Resend in \d+ s/ })).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: 'code' })).toContainText('6-digit code');

  const outbox = await context.newPage();
  await outbox.goto('/dev/sms');
  const row = outbox.getByRole('row', { name: /13800000001/ }).first();
  const code = (await row.getByRole('cell').nth(1).textContent())?.trim() ?? '';
  expect(code).toMatch(/^\d{6}$/);
  await outbox.close();

  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole('link', { name: /演示用户/ })).toBeVisible();
});

test('an anonymous visit lands on login and returns after signing in', async ({ page }) => {
  await page.goto('/leader/people');
  await expect(page).toHaveURL(/\/login\?next=\/leader\/people$/);
  await page.getByLabel('Account').fill('demo-leader');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/leader\/people$/);
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /demo-user/ })).toBeVisible();
});

test('a user opening a leader page gets the friendly 403', async ({ page }) => {
  await signIn(page, 'demo-user');
  const response = await page.goto('/leader');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Leader console' })).toHaveCount(0);
});

test('a page on another origin that auto-posts a form changes nothing', async ({ page }) => {
  await signIn(page, 'demo-user');
  const target = new URL('/api/rpc/auth/change-password', page.url()).toString();
  await page.route('http://evil.example/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form method="post" action="${target}">
               <input name="current_password" value="${DEMO_PASSWORD}">
               <input name="new_password" value="owned by evil 1234">
               <input name="confirm_password" value="owned by evil 1234">
             </form>
             <script>document.forms[0].submit()</script>`,
    }),
  );
  const refused = page.waitForResponse((r) => r.url() === target);
  await page.goto('http://evil.example/prize');
  expect((await refused).status()).toBe(403);

  await page.goto('/console');
  await expect(page.getByRole('heading', { level: 1, name: 'User console' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'demo-user', '/console');
  await expect(page).toHaveURL(/\/console$/);
});

test('the main pages run under the CSP without a single violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await signIn(page, 'demo-leader');
  for (const path of ['/', '/console', '/leader', '/leader/people', '/account/password', '/login?method=sms']) {
    await page.goto(path);
    await hydrated(page);
  }
  expect(violations).toEqual([]);
});
