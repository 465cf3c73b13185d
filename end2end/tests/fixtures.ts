// Every spec imports `test` from here instead of '@playwright/test': it fails a
// test on any console error, any uncaught page error, and any page left not
// hydrated (the footer's `data-hydrated` never turned "true"), in every page the
// test opens — also pages of contexts it makes with `browser.newContext()`.
//
// The browser also logs, as a console error, every response with a 4xx status
// ("Failed to load resource: the server responded with a status of 422"): those
// are the application's own answers (a form's validation, a 404 page asked for,
// a session that ended) and each test checks what the page shows about them.
// They are let through; a 5xx is not. A test that provokes any other error on
// purpose says so:
//   test.use({ allowedConsoleErrors: [/some message/] });
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export { expect };
export type { Page, Locator } from '@playwright/test';

type Guard = {
  /** Console errors this test expects (matched against the message text). */
  allowedConsoleErrors: RegExp[];
  consoleGuard: void;
};

/** The browser's note about a response with a 4xx status (see above). */
const CLIENT_ERROR_STATUS = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

/** How long a page may take to hydrate before it counts as failed. */
const HYDRATION_MS = 10_000;

export const test = base.extend<Guard>({
  allowedConsoleErrors: [[], { option: true }],
  consoleGuard: [
    async ({ page, browser, allowedConsoleErrors, javaScriptEnabled }, use) => {
      const problems: string[] = [];
      // Each page, and whether it runs JavaScript (only those hydrate).
      const pages: [Page, boolean][] = [];
      const watch = (p: Page, scripts: boolean) => {
        pages.push([p, scripts]);
        p.on('console', (message) => {
          if (message.type() !== 'error') return;
          const text = message.text();
          if (CLIENT_ERROR_STATUS.test(text)) return;
          if (allowedConsoleErrors.some((allowed) => allowed.test(text))) return;
          problems.push(`console error on ${p.url()}: ${text}`);
        });
        p.on('pageerror', (error) => {
          problems.push(`uncaught error on ${p.url()}: ${error.message}`);
        });
      };
      const watchContext = (context: BrowserContext, scripts: boolean) =>
        context.on('page', (p) => watch(p, scripts));
      const scripts = javaScriptEnabled !== false;
      watch(page, scripts);
      watchContext(page.context(), scripts);
      const newContext = browser.newContext.bind(browser) as Browser['newContext'];
      browser.newContext = async (options) => {
        const context = await newContext(options);
        watchContext(context, options?.javaScriptEnabled !== false);
        return context;
      };

      await use();

      browser.newContext = newContext;
      {
        for (const [p, runsScripts] of pages) {
          if (!runsScripts || p.isClosed() || !(await hydratable(p))) continue;
          const hydrated = await p
            .waitForFunction(
              () => document.querySelector('[data-hydrated]')?.getAttribute('data-hydrated') === 'true',
              undefined,
              { timeout: HYDRATION_MS },
            )
            .then(() => true)
            .catch(() => false);
          if (!hydrated) problems.push(`not hydrated within ${HYDRATION_MS} ms: ${p.url()}`);
        }
      }
      expect(problems, 'console errors, page errors or pages that never hydrated').toEqual([]);
    },
    { auto: true },
  ],
});

/** An application page (it has the footer's hydration marker). */
async function hydratable(page: Page): Promise<boolean> {
  try {
    return (await page.locator('[data-hydrated]').count()) > 0;
  } catch {
    return false;
  }
}
