// Every page of every role, with work on it (requests waiting in the queue,
// loans, notifications, audit rows, statistics), in both languages, on a
// desktop and on a phone: each page must hydrate cleanly (the fixture fails the
// test on any console error, page error or page that never hydrates), and on a
// phone no page may scroll sideways.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_PASSWORD, signIn } from './support';

type Role = 'demo-user' | 'demo-leader' | 'demo-admin';

const baseURL = process.env.EQUIPFLOW_BASE_URL ?? 'http://127.0.0.1:3000';

// A calendar day in Beijing (the organisation's zone), `plus` days from today.
const day = (plus: number) =>
  new Date(Date.now() + plus * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/** A server-function call as a browser of this site makes it. */
async function call(api: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const response = await api.post(`/api/rpc/${endpoint}`, {
    form,
    headers: { Origin: baseURL, Accept: 'application/json' },
  });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

async function session(playwright: typeof import('@playwright/test'), username: Role) {
  const api = await playwright.request.newContext({ baseURL });
  await call(api, 'auth/login', { username, password: DEMO_PASSWORD });
  return api;
}

/** Ids used by the walk: an item, a person, made sure to have work on them. */
type Data = { item: number; person: number };
let data: Data;

// Playwright runs this again in a fresh worker after a failed test: it only
// files what the queue lacks.
test.beforeAll(async ({ playwright }) => {
  const user = await session(playwright, 'demo-user');
  const leader = await session(playwright, 'demo-leader');
  const me = await call(user, 'auth/me', {});
  const catalogue = await call(user, 'catalogue/get', {});
  const rnd = catalogue.departments
    .filter((d: { code: string }) => d.code.startsWith('RND'))
    .map((d: { id: number }) => d.id as number);
  // Items of the leader's departments, so the leader's queue holds the requests.
  const items: { id: number }[] = [];
  for (const department of rnd) {
    const page = await (
      await user.get(`/api/v1/equipment?status=available&department=${department}&size=10`)
    ).json();
    items.push(...page.items);
  }
  expect(items.length, 'available items in the leader departments').toBeGreaterThanOrEqual(5);
  data = { item: items[0].id, person: me.id };
  // Work of both shapes: a loan (with its period, the longest line) and a repair.
  const queue: { period_start: string | null }[] = await call(leader, 'approvals/pending', {});
  if (queue.length < 3 || !queue.some((r) => r.period_start)) await makeWork(user, leader, items);
  await user.dispose();
  await leader.dispose();
});

/** Five requests on `items`: one approved, one rejected, three left waiting. */
async function makeWork(user: APIRequestContext, leader: APIRequestContext, items: { id: number }[]) {
  const filed: number[] = [];
  for (const [n, item] of items.slice(0, 5).entries()) {
    const kind = n === 4 ? 'repair' : 'borrow';
    const row = await call(user, 'requests/file', {
      equipment_id: String(item.id),
      kind,
      reason: `巡检第 ${n + 1} 组 / walk ${n + 1}`,
      period_start: day(0),
      period_end: day(7),
    });
    filed.push(row.id);
  }
  // One approved, one rejected: the user has news; three stay in the queue.
  await call(leader, 'approvals/decide', { id: String(filed[0]), decision: 'approve', comment: '同意' });
  await call(leader, 'approvals/decide', {
    id: String(filed[1]),
    decision: 'reject',
    comment: '本周已借满 / fully booked this week',
  });
}

/** Each role's pages (paths), data included. */
function pages(role: Role): string[] {
  const user = [
    '/',
    '/console',
    '/equipment',
    `/equipment/${data.item}`,
    '/requests',
    '/requests/new',
    '/notifications',
    '/statistics',
    '/account/password',
  ];
  const leader = [
    ...user,
    '/leader',
    '/leader/approvals',
    '/leader/people',
    `/leader/people/${data.person}`,
    '/leader/audit',
    '/leader/statistics',
  ];
  const admin = [
    ...leader,
    '/admin/catalogue',
    '/admin/equipment/new',
    `/admin/equipment/${data.item}/edit`,
    '/admin/equipment/import',
    '/admin/audit',
    '/admin/dead-letters',
  ];
  return role === 'demo-user' ? user : role === 'demo-leader' ? leader : admin;
}

/** Opens `path` and waits until the page is interactive. */
async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers`).toBeLessThan(400);
  await expect(page.locator('[data-hydrated="true"]'), `${path} hydrates`).toHaveCount(1, {
    timeout: 15_000,
  });
}

async function useLanguage(page: Page, lang: 'en' | 'zh') {
  await page.goto(`/lang/${lang}`);
}

const roles: Role[] = ['demo-user', 'demo-leader', 'demo-admin'];

for (const role of roles) {
  for (const lang of ['zh', 'en'] as const) {
    test(`every page of ${role} hydrates cleanly (${lang}, desktop)`, async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, role);
      await useLanguage(page, lang);
      for (const path of pages(role)) await visit(page, path);
    });

    test(`no page of ${role} is wider than a phone (${lang}, 390 × 844)`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, role);
      await useLanguage(page, lang);
      const wide: string[] = [];
      for (const path of pages(role)) {
        await visit(page, path);
        const { scroll, inner } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
        }));
        if (scroll > inner) wide.push(`${path}: ${scroll} px`);
      }
      expect(wide, 'pages that scroll sideways at 390 px').toEqual([]);
    });
  }
}

test('the sign-in page hydrates and fits a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ['zh', 'en'] as const) {
    await useLanguage(page, lang);
    await visit(page, '/login');
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(fits, `/login (${lang})`).toBe(true);
  }
});
