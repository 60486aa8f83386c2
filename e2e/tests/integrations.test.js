// Integrations in a real browser: an admin adds one, a standard user of the account sees it without
// edit buttons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PASSWORD, openSection, serverAndBrowser, signIn, signUp, uniqueEmail } from '../lib/harness.js';

const env = serverAndBrowser();

test('an admin adds an integration and a standard user sees it without edit buttons', async () => {
  const admin = await (await env.browser.newContext()).newPage();
  await signUp(admin, env.server.url, { email: uniqueEmail('admin') });
  await openSection(admin, 'Integrations');
  await admin.getByRole('button', { name: 'Add integration' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Add integration' });
  await dialog.getByLabel('Name').fill('Recordings');
  await dialog.getByLabel('Type').selectOption({ label: 'AWS S3' });
  await dialog.getByLabel('Bucket').fill('Call_Recordings');
  await dialog.getByLabel('Region').fill('us-east-1');
  await dialog.getByLabel('Access key ID').fill('AKIAIOSFODNN7EXAMPLE');
  await dialog.getByLabel('Secret access key').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await dialog.getByRole('button', { name: 'Save integration' }).click();
  await dialog.getByText('A bucket name is 3 to 63 lower-case letters', { exact: false }).waitFor();
  await dialog.getByLabel('Bucket').fill('call-recordings');
  await dialog.getByRole('button', { name: 'Save integration' }).click();
  const row = admin.getByTestId('integrations').getByRole('row', { name: /Recordings/ });
  await row.waitFor();
  assert.match(await row.innerText(), /AWS S3/);
  assert.equal(await row.getByRole('button', { name: 'Edit' }).count(), 1);
  await openSection(admin, 'Applications');
  await admin.getByLabel('New application name').fill('Recorder');
  await admin.getByRole('button', { name: 'Create application' }).click();
  const card = admin.getByTestId('application').filter({ hasText: 'Recorder' });
  await card.getByLabel('Recordings (AWS S3)').check();
  await admin.getByText("The application's settings are saved.").waitFor();
  await openSection(admin, 'Integrations');
  await row.getByRole('cell', { name: 'Recorder' }).waitFor();
  await openSection(admin, 'Account security log');
  await admin.getByTestId('account-log').getByRole('row', { name: /Integration added.*Recordings/ }).waitFor();

  const me = await admin.evaluate(async () => (await fetch('/api/v1/me')).json());
  const standardEmail = uniqueEmail('standard');
  execFileSync(process.env.KEYDESK_BIN, ['admin', 'create-user', '--email', standardEmail, '--name', 'Sam Standard',
    '--account-id', me.account.id, '--role', 'standard'],
  { env: { ...process.env, KEYDESK_DATA_DIR: env.server.dataDir, KEYDESK_NEW_PASSWORD: PASSWORD } });

  const standard = await (await env.browser.newContext()).newPage();
  await signIn(standard, env.server.url, standardEmail, PASSWORD);
  await standard.waitForURL('**/account');
  await openSection(standard, 'Integrations');
  const seen = standard.getByTestId('integrations').getByRole('row', { name: /Recordings/ });
  await seen.waitFor();
  assert.match(await seen.innerText(), /Ann Example/);
  assert.equal(await seen.getByRole('button').count(), 0, 'no edit or delete buttons');
  assert.equal(await standard.getByRole('button', { name: 'Add integration' }).count(), 0);
  await standard.getByText('Only account admins can add, edit or delete integrations.').waitFor();
  await admin.context().close();
  await standard.context().close();
});
