// Bytes on the wire and time to interactive of one page, as a phone on a
// throttled mobile network sees it: a first visit (empty cache) and a repeat
// visit (same browser, cache warm), signed in as a demo account.
//
//   node end2end/tools/transfer.mjs [PATH] [RUNS]
//
// BASE_URL (default http://127.0.0.1:3000) is a running EquipFlow with the demo
// seeded. PATH defaults to /equipment, RUNS to 5. Throttling (Chromium's own,
// through the DevTools protocol) follows Lighthouse's mobile profile: 150 ms
// round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower. "Interactive" is
// the moment the page is hydrated (data-hydrated="true"). Prints one JSON line
// per run and the medians. ENCODING=identity asks for nothing compressed (the
// figures of a server that does not compress).
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const path = process.argv[2] ?? '/equipment';
const runs = Number(process.argv[3] ?? 5);
const password = process.env.EQUIPFLOW_DEMO_PASSWORD ?? 'equipflow-demo';
const user = process.env.EQUIPFLOW_USER ?? 'demo-user';
const identity = process.env.ENCODING === 'identity';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});

/** Sums the bytes received (headers and compressed bodies) while `action` runs. */
async function transferred(cdp, action) {
  let bytes = 0;
  const requests = new Map();
  const onResponse = (e) => requests.set(e.requestId, e.response.url);
  const onFinished = (e) => { bytes += e.encodedDataLength; };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  await action();
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  return { bytes, requests: requests.size };
}

async function visit(page, cdp) {
  const started = Date.now();
  const wire = await transferred(cdp, async () => {
    await page.goto(`${base}${path}`, { waitUntil: 'load' });
    await page.locator('[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForLoadState('networkidle');
  });
  const interactive = await page.evaluate(() => {
    const mark = performance.getEntriesByName('equipflow-hydrated')[0];
    return mark ? mark.startTime : null;
  });
  return { ...wire, interactive_ms: interactive ?? Date.now() - started };
}

const results = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  // Sign in without throttling; then measure as a phone would.
  await page.goto(`${base}/login`);
  await page.locator('#login-username').fill(user);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Hydration marks the moment: the page has listeners from then on.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-hydrated="true"]')) {
        performance.mark('equipflow-hydrated');
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, childList: true });
  });
  const first = await visit(page, cdp);
  const repeat = await visit(page, cdp);
  const line = { run, first, repeat };
  console.log(JSON.stringify(line));
  results.push(line);
  await context.close();
}
await browser.close();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const summary = {
  path,
  encoding: identity ? 'identity' : 'browser default',
  runs,
  first_kb: Math.round(median(results.map((r) => r.first.bytes)) / 1024),
  repeat_kb: Math.round(median(results.map((r) => r.repeat.bytes)) / 1024),
  first_interactive_ms: Math.round(median(results.map((r) => r.first.interactive_ms))),
  repeat_interactive_ms: Math.round(median(results.map((r) => r.repeat.interactive_ms))),
};
console.log(JSON.stringify({ median: summary }));
