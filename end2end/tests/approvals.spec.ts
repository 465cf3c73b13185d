import { test, expect, type Page } from './fixtures';
import { fileRequest, openOwnAvailableItems, signIn, hydrated } from './support';

test.use({ locale: 'en-US' });

// A calendar day in Beijing (the organisation's zone), `plus` days from today.
const day = (plus: number) =>
  new Date(Date.now() + plus * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

async function bellCount(page: Page): Promise<number> {
  const count = page.getByTestId('bell-count');
  return (await count.count()) === 0 ? 0 : Number(await count.textContent());
}

test('a borrow request is approved live: the leader sees it arrive, the user is told', async ({ browser }) => {
  const leader = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(leader, 'demo-leader', '/leader/approvals');
  await hydrated(leader);

  const user = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(user, 'demo-user');
  await openOwnAvailableItems(user);
  await hydrated(user);
  const link = user.locator('table.equipment-table tbody tr').first().locator('a.asset-code');
  const code = (await link.textContent())!.trim();
  await link.click();
  await expect(user).toHaveURL(/\/equipment\/\d+$/);
  await hydrated(user);
  const before = await bellCount(user);

  // The user files a loan from the item's page.
  await user.getByLabel('Kind').selectOption('borrow');
  await user.getByLabel('Reason').fill('Customer demo in Shanghai');
  await user.getByLabel('From').fill(day(1));
  await user.getByLabel('Until (inclusive)').fill(day(5));
  await user.getByRole('button', { name: 'Submit request' }).click();
  await expect(user.getByTestId('request-filed')).toBeVisible();

  // The leader's queue shows it without a reload.
  const approval = leader.getByTestId('approval').filter({ hasText: code });
  await expect(approval).toBeVisible({ timeout: 5_000 });
  await approval.getByLabel(/^Comment/).fill('Have a good trip');
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(approval).toHaveCount(0);

  // Within two seconds the user's bell and a toast say so, without a reload.
  await expect(user.getByTestId('toast')).toContainText(`was approved by`, { timeout: 2_000 });
  await expect(user.getByTestId('toast')).toContainText(code);
  await expect.poll(() => bellCount(user), { timeout: 2_000 }).toBeGreaterThan(before);

  // The item's page shows the new holder.
  await user.reload();
  await expect(user.getByTestId('holder')).toHaveText('演示用户');

  // The inbox lists the decision; marking all read clears the bell.
  await user.getByTestId('bell').click();
  await expect(user).toHaveURL(/\/notifications$/);
  await expect(user.getByTestId('inbox')).toContainText(code);
  await user.getByRole('button', { name: 'Mark all read' }).click();
  await expect(user.getByTestId('bell-count')).toHaveCount(0);
});

test('without JavaScript a request can be filed and decided by reload', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  const user = await context.newPage();
  await signIn(user, 'demo-user');
  await openOwnAvailableItems(user);
  const link = user.locator('table.equipment-table tbody tr').nth(1).locator('a.asset-code');
  const code = (await link.textContent())!.trim();
  await link.click();
  await user.getByLabel('Kind').selectOption('repair');
  await user.getByLabel('Reason').fill('The fan rattles');
  await user.getByRole('button', { name: 'Submit request' }).click();
  await user.goto('/requests?status=pending');
  await expect(user.getByTestId('request-row').filter({ hasText: code })).toBeVisible();

  const leaderContext = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  const leader = await leaderContext.newPage();
  await signIn(leader, 'demo-leader', '/leader/approvals');
  const approval = leader.getByTestId('approval').filter({ hasText: code });
  await expect(approval).toBeVisible();
  // A rejection says why.
  await approval.getByLabel(/^Comment/).fill('Not this week');
  await approval.getByRole('button', { name: 'Reject' }).click();
  await leader.goto('/leader/approvals');
  await expect(leader.getByTestId('approval').filter({ hasText: code })).toHaveCount(0);
  await user.goto('/requests?status=rejected');
  await expect(user.getByTestId('request-row').filter({ hasText: code })).toBeVisible();
});

test('a queue with work in it: history opens, a rejection needs a reason, two ticked requests are both decided', async ({
  browser,
}) => {
  const user = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(user, 'demo-user');
  await openOwnAvailableItems(user);
  const links = user.locator('table.equipment-table tbody tr a.asset-code');
  const codes: string[] = [];
  for (const n of [2, 3]) {
    const link = links.nth(n);
    codes.push((await link.textContent())!.trim());
    const id = Number((await link.getAttribute('href'))!.split('/').pop());
    await fileRequest(user, id, 'borrow', `Workshop ${n}`);
  }

  const leader = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(leader, 'demo-leader', '/leader/approvals');
  await hydrated(leader);
  const [first, second] = codes.map((code) => leader.getByTestId('approval').filter({ hasText: code }));
  await expect(first).toBeVisible();

  await first.getByText('Item history').click();
  await expect(first.locator('.approval-history')).not.toContainText('Loading', { timeout: 5_000 });
  await expect(first.locator('.approval-history')).toContainText(/No transactions on this item yet|·/);

  await first.getByRole('button', { name: 'Reject' }).click();
  await expect(leader.getByTestId('decision-error')).toContainText('Say why you reject it');
  await expect(first).toBeVisible();

  await first.getByRole('checkbox').check();
  await second.getByRole('checkbox').check();
  await expect(leader.getByText('2 selected')).toBeVisible();
  await leader.getByRole('button', { name: 'Approve selected' }).click();
  await expect(first).toHaveCount(0);
  await expect(second).toHaveCount(0);
  await expect(leader.getByText('2 decided.')).toBeVisible();
});

test('pages follow the news they announce: the applicant\'s row and the leader console\'s count', async ({
  browser,
}) => {
  const user = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(user, 'demo-user');
  await openOwnAvailableItems(user);
  const link = user.locator('table.equipment-table tbody tr a.asset-code').nth(6);
  const code = (await link.textContent())!.trim();
  const itemId = Number((await link.getAttribute('href'))!.split('/').pop());

  const leader = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(leader, 'demo-leader', '/leader');
  await hydrated(leader);
  const waiting = leader.getByTestId('attention-pending').locator('.attention-count');
  const before = Number(await waiting.textContent());

  const id = await fileRequest(user, itemId, 'borrow', 'Site visit');
  await expect(waiting, 'the count follows a request filed meanwhile').toHaveText(String(before + 1), {
    timeout: 5_000,
  });

  await user.goto('/requests?status=');
  await hydrated(user);
  const row = user.getByTestId('request-row').filter({ hasText: code });
  await expect(row).toContainText('Pending');
  const decided = await leader.request.post('/api/rpc/approvals/decide', {
    form: { id: String(id), decision: 'approve', comment: 'Enjoy' },
    headers: { Origin: new URL(leader.url()).origin, Accept: 'application/json' },
  });
  expect(decided.status()).toBe(200);
  await expect(user.getByTestId('toast')).toContainText(code, { timeout: 5_000 });
  await expect(row, 'the row says what the toast says').toContainText('Approved', { timeout: 5_000 });
  await expect(row.getByRole('button', { name: 'Withdraw' })).toHaveCount(0);
});
