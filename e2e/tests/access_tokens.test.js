// Personal access tokens in a real browser: created with chosen access, shown once, usable at once
// within their scopes only, listed with their last use, revoked through the confirmation; an admin
// sets the account's token policy and revokes a user's token from the account's list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, inviteAndSignIn, openSection, serverAndBrowser, signUp, uniqueEmail } from '../lib/harness.js';

const env = serverAndBrowser();

function withToken(token, path, init = {}) {
  return fetch(`${env.server.url}${path}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
}

/** Opens Create a token, names it, gives the access asked for, and returns the dialog. */
async function startToken(page, name, access) {
  await page.getByRole('button', { name: 'Create a token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a token' });
  await dialog.getByLabel('Token name').fill(name);
  for (const [resource, level] of Object.entries(access)) {
    await dialog.getByLabel(resource, { exact: true }).selectOption(level);
  }
  return dialog;
}

/** Submits the dialog and returns the token the reveal shows. */
async function finishToken(page, dialog) {
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await dialog.waitFor({ state: 'detached' });
  const shown = page.getByTestId('new-token');
  await shown.waitFor();
  return (await shown.innerText()).trim();
}

test('a token is shown once, reads certificates but cannot write them, and stops working when revoked', async () => {
  const context = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('tokens') });
  await openSection(page, 'Developer key and tokens');
  await page.getByText('You have no access tokens.').waitFor();

  const dialog = await startToken(page, 'Deploy script', { Certificates: 'read' });
  assert.equal(await dialog.getByLabel('Expiration').inputValue(), '30', '30 days unless chosen otherwise');
  const token = await finishToken(page, dialog);
  assert.match(token, /^kdt_\S{20,}$/);
  await page.getByText('Copy it now; it will not be shown again.').waitFor();
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);

  const read = await withToken(token, '/api/v1/certificates');
  assert.equal(read.status, 200);
  assert.ok(Array.isArray(await read.json()));
  const form = new FormData();
  form.append('domain', 'example.com');
  form.append('file', new Blob(['not a certificate']), 'client.pem');
  const write = await withToken(token, '/api/v1/certificates', { method: 'POST', body: form });
  assert.equal(write.status, 403);
  assert.equal((await write.json()).code, 'insufficient_scope');

  // Gone after a reload: the token itself is never shown again, only its hint and its use.
  await page.reload();
  const row = page.getByTestId('access-tokens').getByRole('row', { name: /Deploy script/ });
  await row.waitFor();
  assert.equal(await page.getByTestId('new-token').count(), 0);
  const text = await row.innerText();
  assert.match(text, /kdt_…/);
  assert.ok(!text.includes(token.slice(4, 16)), 'the list never holds the token');
  assert.match(text, /Certificates: read/);
  assert.match(text, /Expires in 30 days/);
  assert.match(text, /from 127\.0\.0\.1/);

  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
  assert.match(await confirm.innerText(), /Deploy script.*stops working at once/s);
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await row.waitFor({ state: 'detached' });
  await page.getByText('You have no access tokens.').waitFor();
  assert.equal((await withToken(token, '/api/v1/certificates')).status, 401);
  await context.close();
});

test('the form says what is wrong before sending, and an admin\'s policy and revocation reach a user\'s token', async () => {
  const admin = await (await env.browser.newContext()).newPage();
  await signUp(admin, env.server.url, { email: uniqueEmail('admin.tokens') });
  // The token policy and the account's tokens are beside the Users card.
  await openSection(admin, 'Users');
  await admin.getByLabel('Longest lifetime (days)').fill('400');
  await admin.getByRole('button', { name: 'Save policy' }).click();
  await admin.getByText('Choose 1 to 366 days.').waitFor();
  await admin.getByLabel('Longest lifetime (days)').fill('7');
  await admin.getByLabel('Allow tokens without expiry').check();
  await admin.getByRole('button', { name: 'Save policy' }).click();
  await admin.getByText('The token policy is saved.', { exact: false }).waitFor();

  const nina = await (await env.browser.newContext()).newPage();
  const email = await inviteAndSignIn(admin, nina, env.server, {
    first: 'Nina', last: 'Newbie', email: uniqueEmail('nina.tokens'), password: 'Nina-passw0rd!',
  });
  await openSection(nina, 'Developer key and tokens');
  assert.equal(await nina.getByText('Access tokens in this account').count(), 0, 'the account\'s list is for admins');

  const dialog = await startToken(nina, 'Nightly export', {});
  const expiry = dialog.getByLabel('Expiration');
  const offered = await expiry.locator('option').allInnerTexts();
  assert.deepEqual(offered, ['7 days', 'Custom…', 'No expiry'], 'no preset beyond the policy\'s 7 days');
  assert.equal(await expiry.inputValue(), '7', 'the longest preset the policy allows');
  await dialog.getByLabel('Allowed networks (optional)').fill('203.0.113.0/24\nexample.com');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await dialog.getByText('Choose at least one scope.').waitFor();
  await dialog.getByText('"example.com" is not an address or a CIDR network.').waitFor();
  await expiry.selectOption('custom');
  await dialog.getByLabel('Days', { exact: true }).fill('8');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await dialog.getByText('Choose 1 to 7 days.').waitFor();

  await dialog.getByLabel('Profile', { exact: true }).selectOption('write');
  await expiry.selectOption('never');
  await dialog.getByLabel('Allowed networks (optional)').fill('127.0.0.1\n::1');
  const token = await finishToken(nina, dialog);
  assert.equal((await withToken(token, '/api/v1/me')).status, 200);
  const own = nina.getByTestId('access-tokens').getByRole('row', { name: /Nightly export/ });
  assert.match(await own.innerText(), /Profile: read and write/);
  assert.match(await own.innerText(), /Only from 127\.0\.0\.1, ::1/);
  assert.equal((await own.getByRole('cell').nth(3).innerText()).trim(), 'Never', 'no expiry');

  await admin.reload();
  const row = admin.getByTestId('account-access-tokens').getByRole('row', { name: /Nightly export/ });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(email.replace(/\./g, '\\.')));
  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = admin.getByRole('dialog', { name: 'Revoke this token?' });
  assert.match(await confirm.innerText(), /Nightly export/);
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await withToken(token, '/api/v1/me')).status, 401);
  await admin.context().close();
  await nina.context().close();
});

test('a session whose password check is old is asked for the password, and the token is then created', async () => {
  const page = await (await env.browser.newContext()).newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('reauth.tokens') });
  await openSection(page, 'Developer key and tokens');
  // The session is fresh; the server's first answers stand in for one over 15 minutes old.
  const bodies = [];
  await page.route('**/api/v1/me/tokens', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    bodies.push(route.request().postDataJSON());
    const json = (status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    if (bodies.length === 1) {
      return json(403, { error: 'Enter your password to continue.', code: 'reauthentication_required' });
    }
    if (bodies.length === 2) {
      return json(422, { error: 'The password is incorrect', code: 'validation_failed',
        fields: { password: ['The password is incorrect'] } });
    }
    return route.continue();
  });

  const dialog = await startToken(page, 'Old session', { Certificates: 'write' });
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const check = page.getByRole('dialog', { name: 'Confirm your password' });
  await check.getByLabel('Password').fill('Wr0ng-password!');
  await check.getByRole('button', { name: 'Continue' }).click();
  await check.getByText('The password is incorrect').waitFor();
  await check.getByLabel('Password').fill(PASSWORD);
  await check.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('new-token').waitFor();
  assert.equal(bodies.length, 3);
  assert.equal(bodies[0].password, undefined, 'no password until the server asks');
  assert.equal(bodies[2].password, PASSWORD);
  assert.deepEqual(bodies[2].scopes, { certificates: 'write' });
  assert.equal(bodies[2].name, 'Old session');
  await page.getByTestId('access-tokens').getByRole('row', { name: /Old session/ }).waitFor();
  await page.context().close();
});
