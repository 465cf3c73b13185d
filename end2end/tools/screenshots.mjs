// Screenshots of the pages as users see them: each role's pages at a desktop
// (1280 px) and a phone (390 px) width, in Chinese and English.
//
//   node end2end/tools/screenshots.mjs [OUT_DIR] [FILTER]
//
// BASE_URL (default http://127.0.0.1:3000) is a running EquipFlow with the demo
// seeded; OUT_DIR defaults to /tmp/equipflow-shots; FILTER keeps only the pages
// whose name contains it. Problems seen on the way (console errors, pages that
// never hydrate, pages wider than the screen) are printed at the end.
import { mkdir } from 'node:fs/promises';
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = process.argv[2] ?? '/tmp/equipflow-shots';
const filter = process.argv[3] ?? '';
const password = process.env.EQUIPFLOW_DEMO_PASSWORD ?? 'equipflow-demo';

const pages = {
  'demo-user': ['/console', '/equipment', 'DETAIL', '/requests', '/requests/new', '/notifications', '/statistics'],
  'demo-leader': ['/leader', '/leader/approvals', '/leader/people', '/leader/audit', '/leader/statistics'],
  'demo-admin': ['/admin/catalogue', '/admin/equipment/import', '/admin/dead-letters'],
};

const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

await mkdir(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const problems = [];

// A leader's queue with work in it: demo-user files requests on three
// available items of 平台组 (decided by demo-leader) unless some are pending.
let detail = '/equipment/1';
async function fileWork() {
  const context = await browser.newContext({ timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await signIn(page, 'demo-user');
  const headers = { Origin: base, Accept: 'application/json' };
  const mine = await page.request.post(`${base}/api/rpc/requests/mine`, { form: { status: 'pending' }, headers });
  const pending = mine.ok() ? ((await mine.json()).items ?? []).length : 0;
  const catalogue = await (await page.request.post(`${base}/api/rpc/catalogue/get`, { form: {}, headers })).json();
  const platform = catalogue.departments.find((d) => d.code === 'RND-PLATFORM');
  await page.goto(`${base}/equipment?department=${platform.id}`);
  const hrefs = await page.locator('a[href^="/equipment/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const all = [...new Set(hrefs.map((h) => Number(h.split('/')[2])).filter(Number.isFinite))];
  detail = `/equipment/${all[0]}`; // an item of 平台组, held by demo-user
  if (pending < 3) {
    await page.goto(`${base}/equipment?status=available&department=${platform.id}`);
    const free = await page.locator('a[href^="/equipment/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const ids = [...new Set(free.map((h) => Number(h.split('/')[2])).filter(Number.isFinite))].slice(0, 3 - pending);
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const reasons = [['borrow', '下周客户演示需要使用'], ['repair', '屏幕有坏点，开机后闪烁'], ['borrow', '出差期间远程调试']];
    for (const [i, id] of ids.entries()) {
      const [kind, reason] = reasons[i];
      const form = { equipment_id: String(id), kind, reason, period_start: today, period_end: today };
      const filed = await page.request.post(`${base}/api/rpc/requests/file`, { form, headers });
      if (!filed.ok()) problems.push(`could not file a request on item ${id}: ${await filed.text()}`);
    }
  }
  await context.close();
}

async function signIn(page, role) {
  await page.goto(`${base}/login`);
  await page.locator('#login-username').fill(role);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

await fileWork();
for (const [role, paths] of Object.entries(pages)) {
  for (const lang of ['zh', 'en']) {
    for (const [device, viewport] of Object.entries(widths)) {
      const context = await browser.newContext({ viewport, timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
      });
      await signIn(page, role);
      await page.goto(`${base}/lang/${lang}`);
      for (const path of paths.map((p) => (p === 'DETAIL' ? detail : p))) {
        const name = `${role.replace('demo-', '')}${path.replaceAll('/', '-')}-${device}-${lang}`;
        if (filter && !name.includes(filter)) continue;
        await page.goto(`${base}${path}`);
        await page.locator('[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 }).catch(() => problems.push(`not hydrated: ${path}`));
        // Lazy images (charts) load once scrolled to.
        await page.evaluate(async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) { window.scrollTo(0, y); await new Promise((r) => setTimeout(r, 60)); } window.scrollTo(0, 0); });
        await page.waitForTimeout(300);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (wide > 0) problems.push(`${name}: ${wide} px wider than the screen`);
        await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
      }
      await context.close();
    }
  }
}
await browser.close();
console.log(`screenshots in ${out}`);
for (const p of problems) console.log(`PROBLEM ${p}`);
