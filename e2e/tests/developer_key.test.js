// Developer key in a real browser: generate, show, hide, regenerate (with
// confirmations), and the shown key really authenticates API requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSection, signUp, uniqueEmail, serverAndBrowser } from '../lib/harness.js';

const env = serverAndBrowser();

async function meWithKey(key) {
  return fetch(`${env.server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${key}` } });
}

test('generate, show, hide and regenerate the developer key', async () => {
  const page = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('dev');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Developer key and tokens');
  const keyField = page.getByTestId('developer-key');

  await page.getByRole('button', { name: 'Generate key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate a developer key?' });
  await dialog.getByRole('button', { name: 'Generate key' }).click();
  // Shown once, right after Generate, with Copy beside it.
  await page.getByRole('button', { name: 'Hide key' }).waitFor();
  assert.equal(await keyField.getAttribute('data-shown'), 'true');
  const firstKey = (await keyField.innerText()).trim();
  assert.match(firstKey, /^kd_[1-9A-HJ-NP-Za-km-z]{40,}$/);
  await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();

  await page.reload();
  await keyField.waitFor();
  assert.equal(await keyField.getAttribute('data-shown'), 'false', 'hidden by default');
  assert.match(await keyField.innerText(), /^•+ kd_…/);
  assert.equal(await page.getByRole('button', { name: 'Copy', exact: true }).count(), 0);
  await page.getByRole('button', { name: 'Show key' }).click();
  await page.getByRole('button', { name: 'Hide key' }).waitFor();
  assert.equal((await keyField.innerText()).trim(), firstKey);
  const me = await meWithKey(firstKey);
  assert.equal(me.status, 200);
  assert.equal((await me.json()).email, email);

  await page.getByRole('button', { name: 'Hide key' }).click();
  await page.getByRole('button', { name: 'Show key' }).waitFor();
  assert.ok(!(await keyField.innerText()).includes(firstKey.slice(3, 20)));

  await page.getByRole('button', { name: 'Regenerate key' }).click();
  const warning = page.getByRole('dialog', { name: 'Regenerate your developer key?' });
  assert.match(await warning.innerText(), /stop working/);
  await warning.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await meWithKey(firstKey)).status, 200, 'No keeps the key');

  await page.getByRole('button', { name: 'Regenerate key' }).click();
  await warning.getByRole('button', { name: 'Regenerate key' }).click();
  await page.getByText('Your new developer key is ready.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Hide key' }).waitFor();
  const secondKey = (await keyField.innerText()).trim();
  assert.notEqual(secondKey, firstKey);
  assert.equal((await meWithKey(secondKey)).status, 200);
  assert.equal((await meWithKey(firstKey)).status, 401, 'the old key stops working at once');
  await page.getByRole('button', { name: 'Hide key' }).click();
  await page.getByRole('button', { name: 'Show key' }).click();
  await page.getByRole('button', { name: 'Hide key' }).waitFor();
  assert.match(await page.locator('.developer-key .meta').innerText(), /Last used .* from 127\.0\.0\.1/);
  await page.context().close();
});

test('API credentials from POST /api/auth are listed and can be revoked', async () => {
  const page = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('creds');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Developer key and tokens');
  const form = new URLSearchParams({ tool: 'insight', login: email, password: 'Sup3r-secret!' });
  const issued = await (await fetch(`${env.server.url}/api/auth`, { method: 'POST', body: form })).json();
  const basic = 'Basic ' + Buffer.from(`${issued.login}:${issued.password}`).toString('base64');
  assert.equal((await fetch(`${env.server.url}/api/v1/me`, { headers: { Authorization: basic } })).status, 200);

  await page.reload();
  const row = page.getByTestId('api-credentials').getByRole('row', { name: /insight/ });
  await row.waitFor();
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke credentials' }).click();
  await page.getByText('No API credentials are in use.').waitFor();
  assert.equal((await fetch(`${env.server.url}/api/v1/me`, { headers: { Authorization: basic } })).status, 401);
  await page.context().close();
});
