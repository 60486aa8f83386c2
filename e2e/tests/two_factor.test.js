// Two-factor authentication in a real browser, with mail read from the server's outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  codeMail, openSection, outboxMail, PASSWORD, serverAndBrowser, signIn, signOut, signUp, totp, uniqueEmail, waitForCode,
} from '../lib/harness.js';

const env = serverAndBrowser();
const NOTICE = 'Subject: New sign-in to your Keydesk account';
/** The Security card (in Password and authentication), scoped: its buttons' names are common words. */
const security = (page) => page.getByRole('region', { name: 'Security', exact: true });

/** Activates 2FA by email through the five steps; returns the one-time access codes. */
async function activateByEmail(page, email) {
  await security(page).getByRole('button', { name: 'Activate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Two-factor authentication' });
  await dialog.getByLabel('Email').check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByLabel('Email address for codes').fill(email);
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByLabel('Verification code').waitFor();
  const sent = codeMail(env.server.dataDir, email).length;
  await dialog.getByLabel('Verification code').fill(await waitForCode(env.server.dataDir, email, sent));
  await dialog.getByRole('button', { name: 'Verify' }).click();
  const list = dialog.getByTestId('recovery-codes');
  await list.waitFor();
  assert.match(await dialog.innerText(), /will not be able to view these codes again/);
  assert.equal(await dialog.getByRole('link', { name: 'Download' }).getAttribute('download'), 'keydesk-access-codes.txt');
  const codes = (await list.innerText()).split('\n').map((c) => c.trim()).filter(Boolean);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('two-factor-status').filter({ hasText: 'is on' }).waitFor();
  return codes;
}

async function signInWithCode(page, email) {
  const before = codeMail(env.server.dataDir, email).length;
  await signIn(page, env.server.url, email, PASSWORD);
  await page.getByLabel('Verification code').waitFor();
  await page.getByLabel('Verification code').fill(await waitForCode(env.server.dataDir, email, before + 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL('**/account');
}

test('activate by email, sign out, and sign in with the emailed code', async () => {
  const page = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('tfa');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Password and authentication');
  const codes = await activateByEmail(page, email);
  assert.equal(codes.length, 10);
  assert.match(await page.getByTestId('two-factor-status').innerText(), /t\*\*\*@example\.com/);
  // The other views that show it are current without a reload: the Users table and the security log.
  await openSection(page, 'Users');
  await page.getByTestId('users').getByRole('row', { name: /Ann Example/ }).getByRole('cell', { name: 'On', exact: true })
    .waitFor();
  await openSection(page, 'Security log');
  await page.getByTestId('own-log').getByRole('cell', { name: 'Two-factor authentication changed' }).first().waitFor();

  await signOut(page);
  // The second step: its field takes focus, and Resend obeys the minute between codes.
  const before = codeMail(env.server.dataDir, email).length;
  await signIn(page, env.server.url, email, PASSWORD);
  const codeField = page.getByLabel('Verification code');
  await codeField.waitFor();
  assert.equal(await codeField.evaluate((el) => el === document.activeElement), true, 'the code field has focus');
  await page.getByRole('button', { name: 'Resend code' }).click();
  await page.getByRole('status').filter({ hasText: /Try again in \d+ seconds/ }).waitFor();
  await codeField.fill(await waitForCode(env.server.dataDir, email, before + 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL('**/account');
  await openSection(page, 'Password and authentication');
  assert.match(await page.getByTestId('two-factor-status').innerText(), /is on/);

  // Back leaves the second step for the first.
  await signOut(page);
  await signIn(page, env.server.url, email, PASSWORD);
  await codeField.waitFor();
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Password', { exact: true }).waitFor();
  await page.context().close();
});

test('a one-time access code signs in once, then fails; deactivation turns 2FA off', async () => {
  const page = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('otc');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Password and authentication');
  const codes = await activateByEmail(page, email);
  await signOut(page);

  const useAccessCode = async (code) => {
    await signIn(page, env.server.url, email, PASSWORD);
    await page.getByRole('button', { name: 'Use a one-time access code instead' }).click();
    await page.getByLabel('One-time access code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
  };
  await useAccessCode(codes[0]);
  await page.waitForURL('**/account');
  await openSection(page, 'Password and authentication');
  await page.getByText('9 one-time access codes left.').waitFor();
  await signOut(page);

  await useAccessCode(codes[0]);
  await page.getByText('The code is incorrect').waitFor();
  await page.getByLabel('One-time access code').fill(codes[1]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL('**/account');

  await openSection(page, 'Password and authentication');
  await security(page).getByRole('button', { name: 'Deactivate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Deactivate two-factor authentication?' });
  await dialog.getByLabel('Password').fill(PASSWORD);
  // With 2FA on, turning it off also needs a current second factor: a spent code is refused,
  // an unused one-time access code is taken.
  const code = dialog.getByLabel('Two-factor code (or a one-time access code)');
  await code.fill(codes[0]);
  await dialog.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await dialog.getByText('The code is incorrect').waitFor();
  await code.fill(codes[2]);
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await page.getByTestId('two-factor-status').filter({ hasText: 'is off' }).waitFor();
  await signOut(page);
  await signIn(page, env.server.url, email, PASSWORD);
  await page.waitForURL('**/account');
  await page.context().close();
});

test('the unrecognized-device email arrives for a new browser and not for a remembered one', async () => {
  const first = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('dev.notice');
  await signUp(first, env.server.url, { email });
  await openSection(first, 'Password and authentication');
  await activateByEmail(first, email);
  const notices = () => outboxMail(env.server.dataDir, email).filter((m) => m.includes(NOTICE)).length;

  // The browser that signed up is remembered: signing in there again brings no notice.
  await signOut(first);
  await signInWithCode(first, email);
  assert.equal(notices(), 0);

  const stranger = await (await env.browser.newContext()).newPage();
  await signInWithCode(stranger, email);
  const deadline = Date.now() + 5000;
  while (notices() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(notices(), 1);
  const notice = outboxMail(env.server.dataDir, email).find((m) => m.includes(NOTICE));
  assert.match(notice, /127\.0\.0\.1/);

  // Both browsers are remembered now; the stranger forgets itself from the table.
  await openSection(stranger, 'Password and authentication');
  const rows = stranger.getByTestId('devices').locator('tbody tr');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  const own = rows.filter({ hasText: '(this browser)' });
  await own.getByRole('button', { name: 'Forget' }).click();
  await stranger.getByRole('dialog').getByRole('button', { name: 'Forget device' }).click();
  await stranger.getByText('The device is forgotten.', { exact: false }).waitFor();
  // The message comes with the answer; the table reloads just after it.
  await rows.nth(1).waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 1);
  await first.context().close();
  await stranger.context().close();
});

test('an authenticator app is set up from the QR code and its codes sign in', async () => {
  const page = await (await env.browser.newContext()).newPage();
  const email = uniqueEmail('app');
  await signUp(page, env.server.url, { email });
  await openSection(page, 'Password and authentication');
  await security(page).getByRole('button', { name: 'Activate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Two-factor authentication' });
  await dialog.getByLabel('Authenticator app').check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.locator('.qr svg').waitFor();
  const secret = (await dialog.getByTestId('totp-secret').innerText()).trim();
  await dialog.getByLabel('Verification code').fill(totp(secret));
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await dialog.getByTestId('recovery-codes').waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.getByText('Codes come from your authenticator app.').waitFor();
  assert.equal(codeMail(env.server.dataDir, email).length, 0, 'no code is sent for an app');

  await signOut(page);
  await signIn(page, env.server.url, email, PASSWORD);
  await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
  // An app's code is good once: the setup used this step's, so the next step's (within the allowed skew).
  await page.getByLabel('Verification code').fill(totp(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL('**/account');
  await page.context().close();
});

/**
 * A page on `localhost` (browsers never allow passkeys for an IP address) with Chromium's virtual
 * authenticator attached: a platform passkey that verifies the user at once.
 */
async function pageWithAuthenticator() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, base: env.server.url.replace('127.0.0.1', 'localhost') };
}

async function addPasskey(page, name) {
  await security(page).getByRole('button', { name: 'Add a passkey' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
  await dialog.getByLabel('Passkey name').fill(name);
  await dialog.getByRole('button', { name: 'Add passkey' }).click();
  await page.getByTestId('passkeys').getByRole('row', { name: new RegExp(name) }).waitFor();
}

test('a passkey added in the Security card signs in with no password', async () => {
  const { page, base } = await pageWithAuthenticator();
  const email = uniqueEmail('passkey');
  await signUp(page, base, { email });
  await openSection(page, 'Password and authentication');
  // A dialog takes focus, keeps it, closes on Escape, and gives focus back to the button that opened it.
  const opener = security(page).getByRole('button', { name: 'Add a passkey' });
  await opener.click();
  const naming = page.getByRole('dialog', { name: 'Add a passkey' });
  await naming.waitFor();
  assert.equal(await naming.getByLabel('Passkey name').evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Escape');
  await naming.waitFor({ state: 'detached' });
  assert.equal(await opener.evaluate((el) => el === document.activeElement), true);
  await addPasskey(page, 'Test laptop');
  await signOut(page);

  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL('**/account');
  await openSection(page, 'Password and authentication');
  await page.getByTestId('sessions').getByRole('row', { name: /this browser/ }).getByText('Passkey').waitFor();
  const row = page.getByTestId('passkeys').getByRole('row', { name: /Test laptop/ });
  assert.doesNotMatch(await row.innerText(), /Never/, 'the last use shows');
  await page.context().close();
});

test('a passkey answers the second step of a password sign-in', async () => {
  const { page, base } = await pageWithAuthenticator();
  const email = uniqueEmail('passkey.2fa');
  await signUp(page, base, { email });
  await openSection(page, 'Password and authentication');
  await activateByEmail(page, email);
  await addPasskey(page, 'Security key');
  await signOut(page);

  await signIn(page, base, email, PASSWORD);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await page.waitForURL('**/account');
  await openSection(page, 'Password and authentication');
  await page.getByTestId('sessions').getByRole('row', { name: /this browser/ })
    .getByText('Password and second factor').waitFor();
  await page.context().close();
});
