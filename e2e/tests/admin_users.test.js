// Admin options in a real browser: an admin adds a user, who sets a password from the email and signs in;
// the security log shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSection, serverAndBrowser, signIn, signUp, uniqueEmail, waitForMail } from '../lib/harness.js';

const env = serverAndBrowser();

test('an admin adds a user who sets a password from the email and signs in; the security log shows it', async () => {
  const admin = await (await env.browser.newContext()).newPage();
  await signUp(admin, env.server.url, { email: uniqueEmail('admin') });
  await openSection(admin, 'Account information');
  await admin.getByLabel('Company name').fill('Acme Voice Ltd');
  await admin.getByRole('button', { name: 'Save account information' }).click();
  await admin.getByText('The account information is saved.').waitFor();

  await openSection(admin, 'Users');
  await admin.getByRole('button', { name: 'Add user' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Add user' });
  const email = uniqueEmail('newbie');
  await dialog.getByLabel('First name').fill('Nina');
  await dialog.getByLabel('Last name').fill('Newbie');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Can share').uncheck();
  await dialog.getByRole('button', { name: 'Add user' }).click();
  const row = admin.getByTestId('users').getByRole('row', { name: /Nina Newbie/ });
  await row.waitFor();
  assert.match(await row.innerText(), /Never/);
  assert.match(await row.innerText(), /Invited/, 'invited until a password is chosen');

  const mail = (await waitForMail(env.server.dataDir, email, 1)).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const link = mail.match(/https?:\/\/\S+\/set-password\?token=[\w-]+/)[0];
  const newbie = await (await env.browser.newContext()).newPage();
  await newbie.goto(link);
  await newbie.getByLabel('New password', { exact: true }).fill('Nina-passw0rd!');
  await newbie.getByLabel('Confirm new password').fill('Nina-passw0rd!');
  await newbie.getByRole('button', { name: 'Set password' }).click();
  await newbie.getByText('Your password is set.').waitFor();
  await newbie.getByRole('button', { name: 'Go to sign in' }).click();
  await signIn(newbie, env.server.url, email, 'Nina-passw0rd!');
  await newbie.waitForURL('**/account');
  assert.equal(await newbie.getByRole('button', { name: 'Add user' }).count(), 0, 'a standard user sees no admin options');
  await newbie.getByText('Acme Voice Ltd').waitFor();
  await openSection(newbie, 'Security log');
  const ownLog = newbie.getByTestId('own-log');
  await ownLog.getByRole('cell', { name: 'Signed in' }).waitFor();
  assert.equal(await newbie.getByTestId('account-log').count(), 0, 'only admins see the account log');

  await admin.reload();
  await row.waitFor();
  assert.doesNotMatch(await row.innerText(), /Never/, 'the last sign-in shows');
  assert.match(await row.innerText(), /Active/, 'no longer invited');
  await openSection(admin, 'Account security log');
  const log = admin.getByTestId('account-log');
  await log.getByRole('row', { name: /User added/ }).waitFor();
  // One page of events: no pager, only the count.
  for (const name of ['Newer', 'Older']) {
    assert.equal(await log.getByRole('button', { name, exact: true }).count(), 0, name);
  }
  assert.match(await log.locator('.pager').innerText(), /^\d+ events?$/);
  assert.match(await log.getByRole('row', { name: /User added/ }).innerText(), new RegExp(email.replace('.', '\\.')));
  await log.getByLabel('User').selectOption({ label: 'Nina Newbie' });
  // The filtered page replaces the whole list: the admin's own events leave it.
  await log.getByRole('row', { name: /User added/ }).waitFor({ state: 'detached' });
  const ninas = log.getByRole('row', { name: /Signed in/ });
  await ninas.first().waitFor();
  assert.equal(await ninas.count(), 1, 'only Nina\'s sign-in');
  assert.match(await ninas.innerText(), /Nina Newbie/);
  await log.getByLabel('User').selectOption({ label: 'All users' });
  await log.getByLabel('Event').selectOption({ label: 'User added' });
  await log.getByRole('row', { name: /Signed in/ }).first().waitFor({ state: 'detached' });
  assert.equal(await log.getByRole('row', { name: /User added/ }).count(), 1, 'filtered to one kind');
  await openSection(admin, 'Users');
  await row.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = admin.getByRole('dialog', { name: 'Deactivate this user?' });
  assert.match(await confirm.innerText(), /Nina Newbie is signed out at once/);
  await confirm.getByRole('button', { name: 'Deactivate user' }).click();
  await admin.getByText('The user is deactivated.').waitFor();
  await newbie.reload();
  await newbie.waitForURL('**/sign-in');
  await admin.context().close();
  await newbie.context().close();
});
