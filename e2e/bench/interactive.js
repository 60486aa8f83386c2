// Time until the sign-in form is interactive, for `cargo xtask bench`: each run opens
// the page in a fresh browser context (nothing cached) and records, in the page, the
// moment the wasm app has mounted the form (its handlers are attached at mount).
// Usage: node bench/interactive.js URL RUNS; prints one line per run: `interactive MS`.
import { chromium } from 'playwright-core';

const [url, runs = '5'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (let i = 0; i < Number(runs); i += 1) {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('#email')) {
          window.interactiveAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await page.goto(`${url}/sign-in`);
    await page.waitForFunction(() => window.interactiveAt !== undefined, null, { timeout: 30_000 });
    const ms = await page.evaluate(() => window.interactiveAt);
    console.log(`interactive ${ms.toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
