// My Account's Profile and Password and authentication sections in a real browser: sign-up, sign-out,
// sign-in, User Information, and Reset Password with its live requirement list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  linkTokenIn, openSection, outboxMail, PASSWORD, signIn, signOut, signUp, uniqueEmail, serverAndBrowser, waitForMail,
} from '../lib/harness.js';

const env = serverAndBrowser();

async function freshPage() {
  const context = await env.browser.newContext();
  return context.newPage();
}

test('a new user signs up and lands on their account', async () => {
  const page = await freshPage();
  const email = uniqueEmail('ann');
  await signUp(page, env.server.url, { email });
  await assert.doesNotReject(page.getByRole('heading', { name: 'My Account' }).waitFor());
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Ann Example');
  assert.equal(await page.getByLabel('Email').inputValue(), email);
  await page.context().close();
});

test('a user signs out and signs in again', async () => {
  const page = await freshPage();
  const email = uniqueEmail('sam');
  await signUp(page, env.server.url, { email, name: 'Sam' });
  await signOut(page);
  await page.goto(`${env.server.url}/account`);
  await page.waitForURL('**/sign-in');

  await signIn(page, env.server.url, email, 'Wrong-pass1');
  await page.getByText('The email or password is incorrect.').waitFor();
  await signIn(page, env.server.url, email, PASSWORD);
  await page.waitForURL('**/account');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Sam');
  await page.context().close();
});

test('a user changes their name, and their email with the current password', async () => {
  const page = await freshPage();
  await signUp(page, env.server.url, { email: uniqueEmail('kim') });
  const save = async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save' }).first().click();
    assert.equal((await saved).status(), 200);
    await page.getByText('Your details are saved.').waitFor();
  };
  await page.getByLabel('Name', { exact: true }).fill('Kim Changed');
  await save();

  const newEmail = uniqueEmail('kim.new');
  await page.getByLabel('Email').fill(newEmail);
  const passwordField = page.getByLabel('Current password (needed to change your email)');
  await passwordField.waitFor();
  await passwordField.fill(PASSWORD);
  await save();
  await passwordField.waitFor({ state: 'detached' });

  await page.reload();
  await page.getByLabel('Name', { exact: true }).waitFor();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Kim Changed');
  assert.equal(await page.getByLabel('Email').inputValue(), newEmail);
  await page.context().close();
});

test('the requirement list ticks as the password is typed, common passwords included', async () => {
  const page = await freshPage();
  await signUp(page, env.server.url, { email: uniqueEmail('lee') });
  await openSection(page, 'Password and authentication');
  const rules = page.locator('section', { hasText: 'Reset password' }).locator('.password-rules li');
  const met = async () => rules.evaluateAll((items) => items.map((li) => li.dataset.met === 'true'));
  // The common-password list arrives after the page: give the last line a moment to settle.
  const expectMet = async (want) => {
    const deadline = Date.now() + 5000;
    while (JSON.stringify(await met()) !== JSON.stringify(want) && Date.now() < deadline) {
      await page.waitForTimeout(50);
    }
    assert.deepEqual(await met(), want);
  };
  const newPassword = page.getByLabel('New password', { exact: true });

  // Nothing is ticked before anything is typed; the email rule is listed with the others.
  await expectMet([false, false, false, false, false, false, false]);
  assert.match(await rules.nth(5).innerText(), /name part of your email address/);
  await newPassword.fill('ab');
  await expectMet([false, true, false, false, true, true, true]);
  await newPassword.fill('abcdefg1');
  await expectMet([true, true, true, false, true, true, false]);
  await newPassword.fill('abcdefg1!');
  await expectMet([true, true, true, true, true, true, true]);
  // Every rule met, and still among the most common passwords: refused, and said why.
  await newPassword.fill('P@ssw0rd');
  await expectMet([true, true, true, true, true, true, false]);
  await page.getByText('Is one of the most common passwords').waitFor();
  await page.context().close();
});

test('a changed password works at once and the old one no longer does', async () => {
  const page = await freshPage();
  const email = uniqueEmail('max');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Password and authentication');
  const save = page.locator('section', { hasText: 'Reset password' }).getByRole('button', { name: 'Save' });

  await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('N3w+password');
  await page.getByLabel('Confirm new password').fill('N3w+passwor');
  await page.getByText('The two new passwords do not match').waitFor();
  await save.click();
  await page.getByText('The two new passwords do not match').waitFor();
  assert.equal(await page.getByText('Your password is changed.').count(), 0, 'nothing was sent');
  await page.getByLabel('Confirm new password').fill('N3w+password');
  await save.click();
  await page.getByText('Your password is changed.').waitFor();

  await signOut(page);
  await signIn(page, env.server.url, email, PASSWORD);
  await page.getByText('The email or password is incorrect.').waitFor();
  await signIn(page, env.server.url, email, 'N3w+password');
  await page.waitForURL('**/account');
  await page.context().close();
});

test('a new user is reminded to confirm their address until the emailed link is used', async () => {
  const page = await freshPage();
  const email = uniqueEmail('vera');
  await signUp(page, env.server.url, { email });
  const banner = page.getByRole('region', { name: 'Address confirmation' });
  await banner.waitFor();
  await banner.getByRole('button', { name: 'Resend link' }).click();
  await page.getByText('We sent a new link.').waitFor();

  // The second link (the resent one) is the one that works.
  const token = linkTokenIn(await waitForMail(env.server.dataDir, email, 2), 'verify-email');
  await page.goto(`${env.server.url}/verify-email?token=${token}`);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Your email address is confirmed.').waitFor();
  await page.goto(`${env.server.url}/account`);
  await page.getByRole('heading', { name: 'My Account' }).waitFor();
  assert.equal(await banner.count(), 0);
  await page.context().close();
});

test('a forgotten password is reset from the emailed link', async () => {
  const page = await freshPage();
  const email = uniqueEmail('forgetful');
  await signUp(page, env.server.url, { email });
  await signOut(page);

  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByText(`If an account uses ${email}, we have sent it a link`).waitFor();
  const deadline = Date.now() + 10_000;
  let mail;
  while (!(mail = outboxMail(env.server.dataDir, email).find((m) => m.includes('Subject: Reset your Keydesk password')))) {
    assert.ok(Date.now() < deadline, 'the reset link arrives');
    await page.waitForTimeout(50);
  }
  mail = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const link = mail.match(/https?:\/\/\S+\/set-password\?token=[\w-]+/)[0];
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill('Rem3mbered-now!');
  await page.getByLabel('Confirm new password').fill('Rem3mbered-now!');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Your password is set.').waitFor();
  await signIn(page, env.server.url, email, 'Rem3mbered-now!');
  await page.waitForURL('**/account');
  await page.context().close();
});

test('the page shows its header before the app has started', async () => {
  // Without scripts the app never starts: what shows is what a slow link shows until it does.
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.server.url}/sign-in`);
  await page.getByRole('link', { name: 'Keydesk' }).waitFor();
  await page.getByText('Loading…').waitFor();
  await context.close();
});

test('a signed-out visit logs no errors in the console, and a signed-in one still finds its session', async () => {
  const page = await freshPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  for (const path of ['/', '/sign-in', '/sign-up', '/account']) {
    await page.goto(`${env.server.url}${path}`);
    await page.getByRole('button', { name: /^(sign in|create account)$/i }).first().waitFor();
  }
  assert.deepEqual(errors, [], 'no red lines on a normal signed-out load');
  await signUp(page, env.server.url, { email: uniqueEmail('console') });
  await page.reload();
  await page.waitForURL('**/account');
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('password forms name the user for password managers', async () => {
  const page = await freshPage();
  const email = uniqueEmail('managers');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Password and authentication');
  await page.getByLabel('Current password').waitFor();
  const form = page.locator('form', { has: page.getByLabel('Current password') });
  const username = form.locator('input[autocomplete="username"]');
  assert.equal(await username.inputValue(), email);
  assert.equal(await form.getByLabel('Current password').getAttribute('autocomplete'), 'current-password');
  assert.equal(await form.getByLabel('New password', { exact: true }).getAttribute('autocomplete'), 'new-password');
  await page.context().close();
});

test('times show in the browser\'s time zone, with UTC on hover', async () => {
  const context = await env.browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('tokyo') });
  // The Sessions card's times (the first on the old single page).
  await openSection(page, 'Password and authentication');
  const time = page.locator('main time').first();
  await time.waitFor();
  const [shown, utc] = [await time.innerText(), await time.getAttribute('title')];
  assert.match(utc, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  const inTokyo = new Date(Date.parse(utc.replace(' UTC', ':00Z').replace(' ', 'T')) + 9 * 3600 * 1000);
  assert.equal(shown, inTokyo.toISOString().slice(0, 16).replace('T', ' '), 'UTC+9, no daylight saving');
  await context.close();
});

test('Enter on an unfinished sign-up form says what is missing', async () => {
  const page = await freshPage();
  await page.goto(`${env.server.url}/sign-up`);
  await page.getByLabel('Your name').fill('Ann');
  await page.getByLabel('Your name').press('Enter');
  await page.getByText("Enter your company's or account's name").waitFor();
  await page.getByText('Enter an email address').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-up', 'nothing was sent');
  await page.context().close();
});
