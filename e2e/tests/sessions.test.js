// Where you are signed in, in a real browser: the Sessions card lists each browser in words,
// Revoke signs one out, "Sign out everywhere else" the rest; an admin signs a user out everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD, inviteAndSignIn, openSection, serverAndBrowser, signIn, signUp, uniqueEmail,
} from '../lib/harness.js';

const env = serverAndBrowser();

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function browserAs(userAgent) {
  return (await env.browser.newContext(userAgent ? { userAgent } : {})).newPage();
}

test('a session is revoked from another browser, then every other one ends at once', async () => {
  const home = await browserAs();
  const email = uniqueEmail('sessions');
  await signUp(home, env.server.url, { email });
  await openSection(home, 'Password and authentication');
  const firefox = await browserAs(FIREFOX);
  await signIn(firefox, env.server.url, email, PASSWORD);
  await firefox.waitForURL('**/account');

  await home.reload();
  const table = home.getByTestId('sessions');
  const theirs = table.getByRole('row', { name: /Firefox 133 on Linux/ });
  await theirs.waitFor();
  assert.equal(await theirs.getByTitle(FIREFOX).count(), 1, 'the full User-Agent on hover');
  await table.getByRole('row', { name: /this browser/ }).waitFor();
  await theirs.getByRole('button', { name: 'Revoke' }).click();
  await home.getByRole('dialog', { name: 'Revoke this session?' }).getByRole('button', { name: 'Revoke session' }).click();
  await theirs.waitFor({ state: 'detached' });
  await firefox.reload();
  await firefox.waitForURL('**/sign-in');

  const third = await browserAs();
  await signIn(third, env.server.url, email, PASSWORD);
  await third.waitForURL('**/account');
  await signIn(firefox, env.server.url, email, PASSWORD);
  await firefox.waitForURL('**/account');
  await openSection(firefox, 'Password and authentication');
  await firefox.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await firefox.getByRole('dialog', { name: 'Sign out everywhere else?' }).getByRole('button', { name: 'Sign out everywhere else' }).click();
  await firefox.getByText('You are signed out everywhere else.').waitFor();
  for (const page of [home, third]) {
    await page.reload();
    await page.waitForURL('**/sign-in');
  }
  assert.equal(await firefox.getByTestId('sessions').getByRole('row').count(), 2, 'a header and the caller\'s own');
  for (const page of [home, third, firefox]) await page.context().close();
});

test('an admin signs a user out everywhere from the Users table', async () => {
  const admin = await browserAs();
  await signUp(admin, env.server.url, { email: uniqueEmail('admin.sessions') });
  await openSection(admin, 'Users');
  const nina = await browserAs();
  await inviteAndSignIn(admin, nina, env.server, {
    first: 'Nina', last: 'Newbie', email: uniqueEmail('nina.sessions'), password: 'Nina-passw0rd!',
  });
  const row = admin.getByTestId('users').getByRole('row', { name: /Nina Newbie/ });

  await row.getByRole('button', { name: 'Sign out everywhere' }).click();
  await admin.getByRole('dialog', { name: 'Sign this user out everywhere?' }).getByRole('button', { name: 'Sign out everywhere' }).click();
  await admin.getByText('The user is signed out everywhere.').waitFor();
  await nina.reload();
  await nina.waitForURL('**/sign-in');
  await admin.context().close();
  await nina.context().close();
});
