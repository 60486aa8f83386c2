// JS libraries and applications in a real browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSection, serverAndBrowser, signUp, uniqueEmail } from '../lib/harness.js';

const env = serverAndBrowser();

test('a library attached to a deployed application shows there, warns on delete, and goes once detached', async () => {
  const page = await (await env.browser.newContext()).newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('js') });

  await openSection(page, 'JS libraries');
  await page.getByRole('button', { name: 'Add JS library' }).click();
  const editor = page.getByRole('dialog', { name: 'Add JS library' });
  await editor.getByLabel('Name').fill('Greetings');
  await editor.getByLabel('Description').fill('Says hello');
  await editor.getByLabel('Code').fill('function greet(name) {\n  return (\n}');
  assert.match(await editor.innerText(), /35 \/ 16384 characters/);
  assert.equal(await editor.locator('.code-gutter').innerText(), '1\n2\n3', 'the editor numbers its lines');
  await editor.getByRole('button', { name: 'Save library' }).click();
  await editor.getByText('line 3, col 1', { exact: false }).waitFor();
  await editor.getByLabel('Code').fill("function greet(name) { return 'Hello ' + name; }");
  assert.match(await editor.innerText(), /48 \/ 16384 characters/);
  await editor.getByRole('button', { name: 'Save library' }).click();
  const row = page.getByTestId('js-libraries').getByRole('row', { name: /Greetings/ });
  await row.waitFor();

  await openSection(page, 'Applications');
  await page.getByLabel('New application name').fill('Main IVR');
  await page.getByRole('button', { name: 'Create application' }).click();
  const card = page.getByTestId('application').filter({ hasText: 'Main IVR' });
  await card.getByLabel('Greetings').check();
  await page.getByText("The application's settings are saved.").waitFor();
  await card.getByLabel('Deployment label (e.g. Production)').fill('Production');
  await card.getByRole('button', { name: 'Add deployment' }).click();
  const deployment = card.getByTestId('deployment').filter({ hasText: 'Production' });
  await deployment.waitFor();
  await deployment.getByRole('button', { name: 'Edit' }).click();
  await deployment.getByLabel('Variables (one NAME=value a line)').fill('LANG=fr\nnot a variable');
  await deployment.getByRole('button', { name: 'Save Deployment' }).click();
  await deployment.getByText('Line 2: write it as NAME=value').waitFor();
  await deployment.getByLabel('Variables (one NAME=value a line)').fill('LANG=fr\nTIMEOUT_S=30');
  await deployment.getByRole('button', { name: 'Save Deployment' }).click();
  await card.getByText('Production (variables: LANG, TIMEOUT_S)').waitFor();

  await card.getByRole('button', { name: 'Edit', exact: true }).first().click();
  await card.getByLabel('Description').fill('Answers the main line');
  await card.getByRole('button', { name: 'Save application' }).click();
  await card.getByText('Answers the main line').waitFor();

  await openSection(page, 'JS libraries');
  await row.getByText('Main IVR').waitFor();
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit JS library' });
  await edit.getByLabel('Description').fill('Says hello politely');
  await edit.getByRole('button', { name: 'Save library' }).click();
  await row.getByText('Says hello politely').waitFor();

  await row.getByRole('button', { name: 'Delete' }).click();
  const warning = page.getByRole('dialog', { name: 'Delete this JS library?' });
  assert.match(await warning.innerText(), /Deployed applications use this library: Main IVR/);
  await warning.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await row.count(), 1);

  await row.getByRole('button', { name: 'Delete' }).click();
  await warning.getByRole('button', { name: 'Delete library' }).click();
  await page.getByText('No JS libraries yet.').waitFor();
  await openSection(page, 'Applications');
  await card.waitFor();
  assert.equal(await card.getByRole('checkbox').count(), 0, 'the application no longer lists the library');
  await page.context().close();
});

test('Tab indents in the code editor, and closing it with unsaved changes asks first', async () => {
  const page = await (await env.browser.newContext()).newPage();
  await signUp(page, env.server.url, { email: uniqueEmail('js.editor') });
  await openSection(page, 'JS libraries');
  await page.getByRole('button', { name: 'Add JS library' }).click();
  const editor = page.getByRole('dialog', { name: 'Add JS library' });
  // Nothing typed: Cancel closes at once.
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await editor.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Add JS library' }).click();
  const code = editor.getByLabel('Code');
  await code.click();
  await page.keyboard.type('function f() {');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('return 1;');
  assert.equal(await code.inputValue(), 'function f() {\n  return 1;');
  assert.equal(await code.evaluate((el) => el === document.activeElement), true, 'focus stayed in the editor');

  // Escape with changes: the question comes; keeping the changes keeps the editor open.
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
  assert.deepEqual(asked, ['Discard your unsaved changes to this library?']);
  assert.equal(await code.inputValue(), 'function f() {\n  return 1;');
  page.once('dialog', (d) => d.accept());
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.context().close();
});
