// The layout at desktop and phone sizes: no section is wider than the window (tables scroll inside
// their own box, or stack as cards on a phone), and a row's actions stay in view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, openSection, serverAndBrowser, signIn, signUp, uniqueEmail } from '../lib/harness.js';
import { makePki } from '../lib/pki.js';

const pki = makePki();
const env = serverAndBrowser({ KEYDESK_OUTBOUND_CA_FILE: pki.caFile });
const SECTIONS = ['/account', '/account/authentication', '/account/keys', '/account/security-log', '/account/users',
  '/account/organization', '/account/account-log', '/account/certificates', '/account/js-libraries',
  '/account/applications', '/account/integrations', '/account/oauth-tokens'];

async function widths(page, path) {
  await page.goto(env.server.url + path);
  await page.waitForLoadState('networkidle');
  await page.locator('main h1, main h2').first().waitFor();
  return page.evaluate(() => ({ page: document.scrollingElement.scrollWidth, window: window.innerWidth }));
}

test('no section is wider than a desktop or a phone window, and row actions stay in view', async () => {
  const email = uniqueEmail('layout');
  const desktop = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signUp(desktop, env.server.url, { email });
  // Long values: a certificate's fingerprint and names, a token, a second browser's user agent.
  await openSection(desktop, 'Certificates');
  await desktop.getByRole('button', { name: 'Add certificate' }).click();
  const dialog = desktop.getByRole('dialog', { name: 'Add certificate' });
  await dialog.getByLabel('Domain').fill('a-rather-long-partner-domain-name.integration.example.com');
  await dialog.getByLabel('Upload file (.pem)').setInputFiles(pki.clientUpload);
  await dialog.getByRole('button', { name: 'Add' }).click();
  const row = desktop.getByTestId('certificates').getByRole('row', { name: /partner-domain/ });
  await row.waitFor();
  const del = await row.getByRole('button', { name: 'Delete' }).boundingBox();
  assert.ok(del && del.x + del.width <= 1280, `Delete is in view at 1280 px (${JSON.stringify(del)})`);

  const phone = await (await env.browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  })).newPage();
  await signIn(phone, env.server.url, email, PASSWORD);
  await phone.waitForURL('**/account');

  const wide = [];
  for (const [name, page] of [['desktop', desktop], ['phone', phone]]) {
    for (const path of SECTIONS) {
      const w = await widths(page, path);
      if (w.page > w.window) wide.push(`${name} ${path}: ${w.page} px in a ${w.window} px window`);
    }
  }
  assert.deepEqual(wide, [], 'every section fits its window');

  // A phone's stacked row names each value's column; a desktop's table shows the headings instead.
  const labels = async (page) => {
    await page.goto(`${env.server.url}/account/certificates`);
    const cell = page.getByTestId('certificates').getByRole('row', { name: /partner-domain/ }).getByRole('cell').first();
    await cell.waitFor();
    return cell.evaluate((td) => ({ label: td.dataset.label, shown: getComputedStyle(td, '::before').content !== 'none' }));
  };
  assert.deepEqual(await labels(phone), { label: 'Domain', shown: true });
  assert.deepEqual(await labels(desktop), { label: 'Domain', shown: false });
  for (const page of [desktop, phone]) await page.context().close();
});
