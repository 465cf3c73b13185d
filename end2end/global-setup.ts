import type { FullConfig } from '@playwright/test';

// `cargo leptos end-to-end` starts the server and Playwright at the same time, so
// wait here until the server answers GET /healthz with 200 (at most 120 s).
const TIMEOUT_MS = 120_000;
const INTERVAL_MS = 500;

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL =
    (config.projects[0]?.use?.baseURL as string | undefined) ?? 'http://127.0.0.1:3000';
  const url = new URL('/healthz', baseURL).toString();
  const started = Date.now();
  let last = 'no answer yet';

  while (Date.now() - started < TIMEOUT_MS) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) {
        console.log(`global-setup: ${url} answered 200 after ${Date.now() - started} ms`);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  throw new Error(
    `global-setup: the server did not answer 200 at ${url} within ${TIMEOUT_MS / 1000} s (last: ${last})`,
  );
}
