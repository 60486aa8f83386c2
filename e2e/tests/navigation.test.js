// My Account's settings layout in a real browser: a sidebar of grouped sections, each at its own URL
// (so Back, Forward and a direct load work), the Organization group for admins only, and on a phone
// a menu button that names the section shown and folds the links away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PASSWORD, openSection, serverAndBrowser, settingsNav, signIn, signUp, uniqueEmail } from '../lib/harness.js';

const env = serverAndBrowser();

/** Every section an admin sees without Stripe, in the sidebar's order. */
const ADMIN_LINKS = ['Profile', 'Password and authentication', 'Developer key and tokens', 'Security log', 'Users',
  'Account information', 'Account security log', 'Certificates', 'JS libraries', 'Integrations', 'Applications'];
const ORGANIZATION_LINKS = ['Users', 'Account information', 'Account security log'];

const pathname = (page) => new URL(page.url()).pathname;

test('the sidebar links each section at its own URL, and Back, Forward and a direct load show it', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('nav') });
  const nav = settingsNav(page);
  const link = (name) => nav.getByRole('link', { name, exact: true });
  const heading = (name) => page.getByRole('heading', { name, exact: true });

  await link('Profile').waitFor();
  assert.deepEqual((await nav.getByRole('heading').allTextContents()).map((t) => t.trim()),
    ['Personal settings', 'Organization', 'Voice platform']);
  assert.deepEqual((await nav.getByRole('link').allTextContents()).map((t) => t.trim()), ADMIN_LINKS);
  assert.equal(await page.getByRole('link', { name: 'Account', exact: true }).count(), 0, 'no "Account" tab any more');
  assert.equal(await nav.locator('button.settings-menu').isVisible(), false, 'no menu button on a desktop');
  assert.equal(await link('Profile').getAttribute('aria-current'), 'page');
  await heading('User information').waitFor();
  assert.equal(await heading('Security').count(), 0, 'Profile holds only the profile');

  await link('Password and authentication').click();
  await page.waitForURL('**/account/authentication');
  assert.equal(pathname(page), '/account/authentication');
  await heading('Security').waitFor();
  await heading('User information').waitFor({ state: 'detached' });
  assert.equal(await link('Password and authentication').getAttribute('aria-current'), 'page');
  assert.equal(await link('Profile').getAttribute('aria-current'), null);

  await link('Developer key and tokens').click();
  await page.waitForURL('**/account/keys');
  assert.equal(pathname(page), '/account/keys');
  await heading('Developer key').waitFor();
  await heading('Security').waitFor({ state: 'detached' });

  await page.goBack();
  await page.waitForURL('**/account/authentication');
  await heading('Security').waitFor();
  await heading('Developer key').waitFor({ state: 'detached' });
  assert.equal(await link('Password and authentication').getAttribute('aria-current'), 'page');

  await page.goForward();
  await page.waitForURL('**/account/keys');
  await heading('Developer key').waitFor();
  await heading('Security').waitFor({ state: 'detached' });
  assert.equal(await link('Developer key and tokens').getAttribute('aria-current'), 'page');

  await page.goto(`${env.server.url}/account/security-log`);
  await heading('Your security log').waitFor();
  assert.equal(pathname(page), '/account/security-log');
  assert.equal(await link('Security log').getAttribute('aria-current'), 'page');
  assert.equal(await link('Profile').getAttribute('aria-current'), null);
  assert.equal(await link('Account security log').getAttribute('aria-current'), null);
  await context.close();
});

test('an admin sees the Organization sections; a standard user neither sees nor opens them', async () => {
  const admin = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signUp(admin, env.server.url, { email: uniqueEmail('nav.admin') });
  const adminNav = settingsNav(admin);
  await adminNav.getByRole('heading', { name: 'Organization', exact: true }).waitFor();
  for (const name of ORGANIZATION_LINKS) await adminNav.getByRole('link', { name, exact: true }).waitFor();
  // An admin edits the account's details under Organization, not on Profile.
  await admin.getByRole('heading', { name: 'User information', exact: true }).waitFor();
  assert.equal(await admin.getByRole('heading', { name: 'Account information', exact: true }).count(), 0);
  await openSection(admin, 'Account information');
  await admin.getByRole('button', { name: 'Save account information' }).waitFor();
  await openSection(admin, 'Users');
  await admin.getByTestId('users').waitFor();

  const me = await admin.evaluate(async () => (await fetch('/api/v1/me')).json());
  const standardEmail = uniqueEmail('nav.standard');
  execFileSync(process.env.KEYDESK_BIN, ['admin', 'create-user', '--email', standardEmail, '--name', 'Sam Standard',
    '--account-id', me.account.id, '--role', 'standard'],
  { env: { ...process.env, KEYDESK_DATA_DIR: env.server.dataDir, KEYDESK_NEW_PASSWORD: PASSWORD } });

  const standard = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(standard, env.server.url, standardEmail, PASSWORD);
  await standard.waitForURL('**/account');
  const nav = settingsNav(standard);
  await nav.getByRole('link', { name: 'Profile', exact: true }).waitFor();
  await nav.getByRole('heading', { name: 'Personal settings', exact: true }).waitFor();
  await nav.getByRole('link', { name: 'Certificates', exact: true }).waitFor();
  assert.equal(await nav.getByRole('heading', { name: 'Organization', exact: true }).count(), 0, 'no empty group');
  for (const name of ORGANIZATION_LINKS) {
    assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 0, `no "${name}" link`);
  }
  // A standard user reads the account's details on Profile.
  await standard.getByRole('heading', { name: 'Account information', exact: true }).waitFor();
  assert.equal(await standard.getByRole('button', { name: 'Save account information' }).count(), 0);

  await standard.goto(`${env.server.url}/account/users`);
  await standard.getByText("This section is for the account's admins.").waitFor();
  assert.equal(pathname(standard), '/account/users');
  assert.equal(await standard.getByTestId('users').count(), 0, 'no Users table');
  assert.equal(await nav.getByRole('link', { name: 'Users', exact: true }).count(), 0);
  await admin.context().close();
  await standard.context().close();
});

test('on a phone the sections fold into a menu that names the one shown and closes on a choice', async () => {
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  const page = await context.newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('nav.phone') });
  const nav = settingsNav(page);
  const menu = nav.locator('button.settings-menu');
  const links = nav.locator('a');
  const allHidden = async () => {
    const visible = [];
    for (const a of await links.all()) if (await a.isVisible()) visible.push((await a.innerText()).trim());
    return visible;
  };

  await nav.getByRole('button', { name: 'Profile ▾', exact: true }).waitFor();
  assert.equal((await menu.innerText()).trim(), 'Profile ▾');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await links.count(), ADMIN_LINKS.length, 'the links are on the page');
  assert.deepEqual(await allHidden(), [], 'but folded away');

  await menu.tap();
  const securityLog = nav.getByRole('link', { name: 'Security log', exact: true });
  await securityLog.waitFor();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  assert.equal(await securityLog.isVisible(), true);

  await securityLog.tap();
  await page.waitForURL('**/account/security-log');
  assert.equal(pathname(page), '/account/security-log');
  await nav.getByRole('button', { name: 'Security log ▾', exact: true }).waitFor();
  assert.equal((await menu.innerText()).trim(), 'Security log ▾');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  await securityLog.waitFor({ state: 'hidden' });
  assert.deepEqual(await allHidden(), [], 'the menu closed');
  await page.getByTestId('own-log').waitFor();
  await context.close();
});
