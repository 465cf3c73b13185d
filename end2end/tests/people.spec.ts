import { test, expect } from './fixtures';
import { signIn, hydrated } from './support';

test.use({ locale: 'en-US' });

test('a leader creates a person, who must choose a password, then disables them: signed out on their next click', async ({ browser }) => {
  const leaderContext = await browser.newContext({ locale: 'en-US' });
  const leader = await leaderContext.newPage();
  await signIn(leader, 'demo-leader', '/leader/people');
  await hydrated(leader);

  // A new account in the leader's department, with a temporary password.
  const username = `e2e-${Date.now().toString(36)}`;
  await leader.getByLabel('Account', { exact: true }).fill(username);
  await leader.getByLabel('Display name').fill('E2E Tester');
  await leader.getByRole('button', { name: 'Create user' }).click();
  const secret = leader.locator('.notice .secret code');
  await expect(secret).toBeVisible();
  const temporary = (await secret.textContent())!.trim();

  // The newcomer signs in elsewhere and is held at the password page.
  const userContext = await browser.newContext({ locale: 'en-US' });
  const user = await userContext.newPage();
  await user.goto('/login?next=%2Fequipment');
  await user.getByLabel('Account').fill(username);
  await user.getByLabel('Password').fill(temporary);
  await user.getByRole('button', { name: 'Sign in' }).click();
  await expect(user).toHaveURL(/\/account\/password\?required=1$/);
  await expect(user.getByTestId('password-change-required')).toBeVisible();
  await user.getByLabel('Current password').fill(temporary);
  await user.getByLabel('New password', { exact: true }).fill('orchid lantern 2049 ferry');
  await user.getByLabel('New password again').fill('orchid lantern 2049 ferry');
  await user.getByRole('button', { name: 'Save' }).click();
  await expect(user.getByText(/Password changed/)).toBeVisible();
  await user.goto('/equipment');
  await expect(user).toHaveURL(/\/equipment$/);
  await hydrated(user);

  // The leader edits and then disables the person.
  await leader.getByLabel('Search name, account or phone').fill(username);
  await leader.getByRole('button', { name: 'Search' }).click();
  const row = leader.locator('table.people-table tbody tr').filter({ hasText: username });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: 'Edit' }).click();
  await expect(leader).toHaveURL(/\/leader\/people\/\d+$/);
  await leader.getByLabel('Display name').fill('E2E Tester (renamed)');
  await leader.getByRole('button', { name: 'Save changes' }).click();
  await expect(leader.getByTestId('person-saved')).toBeVisible();
  await leader.goto(`/leader/people?q=${username}`);
  const renamed = leader.locator('table.people-table tbody tr').filter({ hasText: 'E2E Tester (renamed)' });
  // Disabling asks first.
  await renamed.getByRole('button', { name: 'Disable' }).click();
  const dialog = leader.getByRole('dialog');
  await expect(dialog).toContainText('Disable');
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await expect(renamed.getByText('Disabled')).toBeVisible();

  // The person's next click finds them signed out.
  await user.getByRole('link', { name: 'My requests' }).click();
  await expect(user).toHaveURL(/\/login/);
  await leaderContext.close();
  await userContext.close();
});
