// OAuth tokens in a real browser: the whole redirect flow through a Stripe stand-in, edit, assign to a
// deployment, delete (deauthorizing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSection, serverAndBrowser, settingsNav, signUp, uniqueEmail } from '../lib/harness.js';
import { STRIPE_ENV, startStripe } from '../lib/stripe.js';

let stripe;
const extraEnv = { ...STRIPE_ENV };
before(async () => {
  stripe = await startStripe();
  extraEnv.KEYDESK_STRIPE_CONNECT_URL = stripe.url;
});
after(() => stripe?.close());
const env = serverAndBrowser(extraEnv);

test('a test-mode token is added through Stripe, edited, assigned to a deployment and deleted', async () => {
  const page = await (await env.browser.newContext()).newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('stripe'), account: 'Stripe Co' });
  await settingsNav(page).getByRole('link', { name: 'Profile', exact: true }).waitFor();
  assert.equal(await settingsNav(page).getByRole('link', { name: 'OAuth tokens' }).count(), 0,
    'hidden until Stripe is enabled');
  execFileSync(process.env.KEYDESK_BIN, ['admin', 'account', 'enable-stripe', 'Stripe Co'],
    { env: { ...process.env, KEYDESK_DATA_DIR: env.server.dataDir } });
  await page.reload();
  await openSection(page, 'OAuth tokens');
  await page.getByText('No OAuth tokens yet.').waitFor();

  await page.getByRole('button', { name: 'Add token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add token' });
  await dialog.getByLabel('Select token type').selectOption('test');
  await dialog.getByLabel('Token description').fill('Payments line');
  await dialog.getByRole('button', { name: 'Continue to Stripe' }).click();
  await page.waitForURL(/\/account\/oauth-tokens\?added=/);
  const row = page.getByTestId('oauth-tokens').getByRole('row', { name: /Payments line/ });
  await row.waitFor();
  assert.match(await row.innerText(), /Test/);
  assert.match(await row.innerText(), /acct_e2e0000000001/);

  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit token' });
  await edit.getByLabel('Token description').fill('Main payments line');
  await edit.getByRole('button', { name: 'Save' }).click();
  const edited = page.getByTestId('oauth-tokens').getByRole('row', { name: /Main payments line/ });
  await edited.waitFor();

  await openSection(page, 'Applications');
  await page.getByLabel('New application name').fill('Pay IVR');
  // A change loads every list of the page again, redrawing the cards (and what was typed in them):
  // type into the new card once those four answers are in.
  const lists = ['/api/v1/applications', '/api/v1/js-libraries', '/api/v1/integrations', '/api/v1/oauth-tokens'];
  const reloaded = Promise.all(lists.map((path) => page.waitForResponse(
    (r) => new URL(r.url()).pathname === path && r.request().method() === 'GET')));
  await page.getByRole('button', { name: 'Create application' }).click();
  await reloaded;
  const card = page.getByTestId('application').filter({ hasText: 'Pay IVR' });
  await card.waitFor();
  await card.getByLabel('Deployment label (e.g. Production)').fill('Production');
  await card.getByRole('button', { name: 'Add deployment' }).click();
  const deployment = card.getByTestId('deployment').filter({ hasText: 'Production' });
  await deployment.getByRole('button', { name: 'Edit' }).click();
  await deployment.getByLabel('OAuth token').selectOption({ label: 'Main payments line (Test)' });
  await deployment.getByRole('button', { name: 'Save Deployment' }).click();
  await card.getByText('token: Main payments line').waitFor();

  await openSection(page, 'OAuth tokens');
  await edited.getByText('Pay IVR (Production)').waitFor();
  await edited.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete this token?' }).getByRole('button', { name: 'Delete token' }).click();
  await page.getByText('No OAuth tokens yet.').waitFor();
  assert.deepEqual(stripe.deauthorized, ['acct_e2e0000000001'], 'Stripe was told');
  await page.context().close();
});
