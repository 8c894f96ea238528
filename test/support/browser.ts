import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's chromium package (`.ci/run` installs it); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', 'browser', 'artifacts');

/**
 * Headless Chromium as this machine runs it: no GPU, no QUIC, and no background traffic
 * (its closed network refuses it). playwright-core gives every launch a fresh profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Native dialogs (alert, confirm) the page opened; the console never opens one. */
  dialogs: string[];
  /** Script errors and console errors (a CSP violation is one). */
  errors: string[];
}

export async function openConsole(browser: Browser, baseUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // Chromium logs each refused call (a 400 with field errors, a 401 that signs out) the
    // tests cause on purpose; any other console error (a CSP violation, a 404 or a 500) counts.
    const expected = /status of (400|401) /.test(message.text());
    if (message.type() === 'error' && !expected) errors.push(message.text());
  });
  await page.goto('/admin');
  return { context, page, dialogs, errors };
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.fill('#sign-in-key', key);
  await page.click('#sign-in');
  await page.waitForSelector('#sign-out');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Presses Tab (and nothing else) until the focused element matches `selector`: how a
 * person who uses only the keyboard reaches a control.
 */
export async function tabTo(page: Page, selector: string, limit = 400): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    const focused = await page.evaluate(
      `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
    );
    if (focused === true) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}
