// The README's screenshots: the real server and SPA in Chromium at 1280×800, a fresh account with a
// little data in it, each main section saved to docs/screenshots/. `cargo xtask screenshots` runs it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openSection, signUp, startServer, uniqueEmail } from './lib/harness.js';
import { makePki } from './lib/pki.js';

const OUT = process.argv[2] || join(import.meta.dirname, '..', 'docs', 'screenshots');
const pki = makePki();
const server = await startServer({ KEYDESK_OUTBOUND_CA_FILE: pki.caFile });
const browser = await launchBrowser();
try {
  mkdirSync(OUT, { recursive: true });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signUp(page, server.url, { email: uniqueEmail('ann'), name: 'Ann Example', account: 'Acme Voice' });
  const shot = async (name) => {
    await page.waitForLoadState('networkidle');
    // A brief notice ("saved") would cover the section: wait for it to go.
    await page.locator('.notice').waitFor({ state: 'detached', timeout: 15_000 });
    await page.screenshot({ path: join(OUT, `${name}.png`) });
  };
  await shot('profile');

  await openSection(page, 'Password and authentication');
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
  await shot('password-and-authentication');

  await openSection(page, 'Developer key and tokens');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await page.getByRole('dialog', { name: 'Generate a developer key?' }).getByRole('button', { name: 'Generate key' }).click();
  await page.getByRole('button', { name: 'Hide key' }).click();
  await shot('developer-key-and-tokens');

  await openSection(page, 'Certificates');
  await page.getByRole('button', { name: 'Add certificate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add certificate' });
  await dialog.getByLabel('Domain').fill('partner.example.com');
  await dialog.getByLabel('Upload file (.pem)').setInputFiles(pki.clientUpload);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByTestId('certificates').getByRole('row', { name: /partner/ }).waitFor();
  await shot('certificates');

  await openSection(page, 'Users');
  await page.getByTestId('users').waitFor();
  await shot('users');
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}
