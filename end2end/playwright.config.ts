import { defineConfig, devices } from '@playwright/test';

// Run by `cargo leptos end-to-end` (see scripts/test), which starts the server on
// 127.0.0.1:3000 and runs `npx playwright test` here without waiting for it:
// global-setup.ts polls /healthz first.
//
// The browser is Debian's chromium (/usr/bin/chromium). Never run
// `npx playwright install`: browser downloads are not available on our machines.

const baseURL = process.env.EQUIPFLOW_BASE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  workers: process.env.CI ? 1 : undefined,
  // results.json is read by scripts/test for the final "N passed, M failed" line.
  reporter: [['list'], ['json', { outputFile: 'results.json' }]],
  outputDir: 'test-results',
  use: {
    baseURL,
    // Users are in Beijing (the organisation's default time zone): between
    // 00:00 and 08:00 there, UTC's date is still yesterday's.
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'] },
    },
  ],
});
