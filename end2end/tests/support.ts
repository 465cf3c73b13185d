import { expect, type Page } from '@playwright/test';

/** The demo password scripts/test seeds (EQUIPFLOW_DEMO_PASSWORD's default). */
export const DEMO_PASSWORD = process.env.EQUIPFLOW_DEMO_PASSWORD ?? 'equipflow-demo';

/** Signs in through the login form, as a person would, in either language. */
export async function signIn(page: Page, username: string, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/^(Account|账号)$/).fill(username);
  await page.getByLabel(/^(Password|密码)$/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
