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

/**
 * The id of the department with `code` (e.g. RND-PLATFORM, demo-user's own),
 * read through the signed-in page's session.
 */
export async function departmentId(page: Page, code: string): Promise<number> {
  const response = await page.request.post('/api/rpc/catalogue/get', {
    form: {},
    headers: { Origin: new URL(page.url()).origin, Accept: 'application/json' },
  });
  expect(response.status()).toBe(200);
  const catalogue = (await response.json()) as { departments: { id: number; code: string }[] };
  const department = catalogue.departments.find((d) => d.code === code);
  expect(department, `department ${code}`).toBeTruthy();
  return department!.id;
}

/**
 * The equipment list of demo-user's own department (平台组), available items:
 * requests on them go to demo-leader, who leads it (items of other departments
 * are decided by their own departments' leaders).
 */
export async function openOwnAvailableItems(page: Page) {
  const id = await departmentId(page, 'RND-PLATFORM');
  await page.goto(`/equipment?status=available&department=${id}`);
}

/** Files a request through the signed-in page's session (as its form would). */
export async function fileRequest(
  page: Page,
  equipmentId: number,
  kind: 'borrow' | 'repair',
  reason: string,
): Promise<number> {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const response = await page.request.post('/api/rpc/requests/file', {
    form: { equipment_id: String(equipmentId), kind, reason, period_start: today, period_end: today },
    headers: { Origin: new URL(page.url()).origin, Accept: 'application/json' },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { id: number }).id;
}

/** Waits until the page is interactive: hydrated by its WebAssembly. */
export async function hydrated(page: Page) {
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: 15_000 });
}
