// Client certificates in a real browser: upload through the file picker, test against a server that
// requires the certificate, delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSection, serverAndBrowser, signUp, uniqueEmail } from '../lib/harness.js';
import { makePki, startMtlsServer } from '../lib/pki.js';

const pki = makePki();
let mtls;
const extraEnv = { KEYDESK_OUTBOUND_ALLOW: '127.0.0.1,::1', KEYDESK_OUTBOUND_CA_FILE: pki.caFile };
before(async () => {
  mtls = await startMtlsServer(pki);
});
after(() => mtls?.close());
const env = serverAndBrowser(extraEnv);

test('a .pem uploaded through the file picker is listed, tested against its domain, and deleted', async () => {
  const page = await (await env.browser.newContext()).newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('certs') });
  await openSection(page, 'Certificates');
  await page.getByText('No certificates yet.').waitFor();

  await page.getByRole('button', { name: 'Add certificate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add certificate' });
  await dialog.getByLabel('Domain').fill('localhost');
  await dialog.getByLabel('Upload file (.pem)').setInputFiles(pki.clientCertOnly);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.getByText('The file holds no private key', { exact: false }).waitFor();

  await dialog.getByLabel('Upload file (.pem)').setInputFiles(pki.clientUpload);
  await dialog.getByRole('button', { name: 'Add' }).click();
  const row = page.getByTestId('certificates').getByRole('row', { name: /localhost/ });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /CN=E2E Client/);
  assert.match(text, /CN=E2E Test CA/);
  assert.match(text, /by Ann Example/);

  await row.getByRole('button', { name: 'Test' }).click();
  const tester = page.getByRole('dialog', { name: 'Test the certificate for localhost' });
  await tester.getByLabel('URL').fill(`https://localhost:${mtls.port}/`);
  await tester.getByRole('button', { name: 'Run test' }).click();
  await tester.getByText('The TLS handshake succeeded', { exact: false }).waitFor();
  assert.match(await tester.getByTestId('test-outcome').innerText(), /200 OK/);
  assert.deepEqual(mtls.seen, ['E2E Client'], 'the server saw the uploaded certificate');
  await tester.getByRole('button', { name: 'Close' }).click();

  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this certificate?' });
  await confirm.getByRole('button', { name: 'Delete certificate' }).click();
  await page.getByText('No certificates yet.').waitFor();
  await page.context().close();
});
