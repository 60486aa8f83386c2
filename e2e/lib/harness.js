// Starts the real Keydesk server (with the built SPA) on a free port with a
// fresh data folder, and Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const BIN = process.env.KEYDESK_BIN;
const SPA_DIR = process.env.KEYDESK_SPA_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

if (!BIN || !SPA_DIR) {
  throw new Error('Run the browser tests through `cargo xtask test` (KEYDESK_BIN and KEYDESK_SPA_DIR unset).');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`keydesk exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('keydesk did not become healthy within 30 s');
}

export async function startServer(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-e2e-'));
  const port = await freePort();
  // Every test signs up from loopback: the per-address sign-up limit would stop a long file.
  const env = { ...process.env, KEYDESK_ADDR: `127.0.0.1:${port}`, KEYDESK_DATA_DIR: dataDir,
    KEYDESK_SPA_DIR: SPA_DIR, RUST_LOG: 'error', KEYDESK_SIGNUPS_PER_HOUR: '1000', ...extraEnv };
  delete env.DATABASE_URL;
  const child = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return {
    url,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export const PASSWORD = 'Sup3r-secret!';

let counter = 0;
/** A unique email for this run. */
export function uniqueEmail(name) {
  counter += 1;
  return `${name}.${Date.now()}.${counter}@example.com`;
}

/** Signs up through the form and waits for the account page. */
export async function signUp(page, baseUrl, { email, name = 'Ann Example', account = 'Acme', password = PASSWORD }) {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Company or account name').fill(account);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/account');
}

/** The My Account sidebar (on a phone, the menu button and the links it folds away). */
export function settingsNav(page) {
  return page.getByRole('navigation', { name: 'My Account' });
}

/**
 * Goes to a My Account section by its sidebar link (`label`, exact), opening the phone's menu first
 * when the links are folded into it, and waits for the section's URL.
 */
export async function openSection(page, label) {
  const nav = settingsNav(page);
  await nav.waitFor();
  const menu = nav.locator('button.settings-menu');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const link = nav.getByRole('link', { name: label, exact: true });
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((url) => url.pathname === href);
}

export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/sign-in');
  await page.getByText('You are signed out.').waitFor();
}

/**
 * One server and one browser for a test file, started before its tests and
 * stopped after them. Returns an object whose `server` and `browser` fill in then.
 */
export function serverAndBrowser(extraEnv = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(extraEnv);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Mail the server wrote to its outbox (no SMTP is configured in these tests), oldest first. */
export function outboxMail(dataDir, to) {
  let names = [];
  try {
    names = readdirSync(join(dataDir, 'outbox')).filter((n) => n.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return names
    .map((n) => readFileSync(join(dataDir, 'outbox', n), 'utf8'))
    .filter((text) => text.split(/\r?\n/).some((line) => /^To:/i.test(line) && line.includes(to)));
}

/** Waits for the `n`th message to `to` and returns it. */
export async function waitForMail(dataDir, to, n) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const mail = outboxMail(dataDir, to);
    if (mail.length >= n) return mail[n - 1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message #${n} to ${to} in the outbox`);
}

/** Messages to `to` that carry a verification code (security notices are left out). */
export function codeMail(dataDir, to) {
  return outboxMail(dataDir, to).filter((text) => /code is \d{6}/.test(text));
}

/** Waits for the `n`th message with a verification code to `to` and returns the code. */
export async function waitForCode(dataDir, to, n) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const mail = codeMail(dataDir, to);
    if (mail.length >= n) return codeIn(mail[n - 1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code #${n} to ${to} in the outbox`);
}

/** The token of the link to `page` (`verify-email`, `set-password`) in a mail, quoted-printable undone. */
export function linkTokenIn(text, page) {
  const plain = text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = plain.match(new RegExp(`${page}\\?token=([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${page} link in: ${text}`);
  return match[1];
}

export function codeIn(text) {
  const match = text.match(/code is (\d{6})/);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1];
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from a base32 secret, as an authenticator app computes it. */
export function totp(secretBase32, atMs = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/**
 * An admin (on the Users section: `openSection(admin, 'Users')` first) adds a user, who follows the
 * emailed link on `page` (a fresh browser), chooses `password` and signs in (landing on Profile);
 * returns the user's email.
 */
export async function inviteAndSignIn(admin, page, server, { first, last, email, password }) {
  await admin.getByRole('button', { name: 'Add user' }).click();
  const adding = admin.getByRole('dialog', { name: 'Add user' });
  await adding.getByLabel('First name').fill(first);
  await adding.getByLabel('Last name').fill(last);
  await adding.getByLabel('Email').fill(email);
  await adding.getByRole('button', { name: 'Add user' }).click();
  await admin.getByTestId('users').getByRole('row', { name: new RegExp(`${first} ${last}`) }).waitFor();
  const mail = (await waitForMail(server.dataDir, email, 1)).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  await page.goto(mail.match(/https?:\/\/\S+\/set-password\?token=[\w-]+/)[0]);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Your password is set.').waitFor();
  await signIn(page, server.url, email, password);
  await page.waitForURL('**/account');
  return email;
}
