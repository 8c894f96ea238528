import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { randomKey } from '../support/app';
import { launchChromium, openConsole, screenshot, signIn, tabTo } from '../support/browser';
import { ServiceProcess, spawnService } from '../support/process';

jest.setTimeout(60_000);

interface Endpoint {
  name: string;
  methods: string[];
}
interface KeyJson {
  id: string;
  key?: string;
  name?: string;
  keyManager: boolean;
  tenantId?: string;
  retrievable: boolean;
  permissions: { endpoints: Record<string, string[]> };
  metaData: { attributes: Record<string, string> };
}

const HOSTILE = '<img src=x onerror=alert(1)>';

let dir: string;
let service: ServiceProcess;
let browser: Browser;
let managerKey: string;
let table: Endpoint[];

function api(path: string, init: RequestInit & { key?: string } = {}): Promise<Response> {
  const { key = managerKey, headers, ...rest } = init;
  return fetch(`${service.url}${path}`, {
    ...rest,
    headers: { authorization: key, 'content-type': 'application/json', ...headers },
  });
}

async function createKey(apiKey: object, key = managerKey): Promise<KeyJson> {
  const response = await api('/api/api-key', {
    method: 'POST',
    body: JSON.stringify({ apiKey }),
    key,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { apiKey: KeyJson }).apiKey;
}

async function keyById(id: string): Promise<KeyJson | null> {
  const response = await api(`/api/api-key/${id}`);
  if (response.status === 404) return null;
  return ((await response.json()) as { apiKey: KeyJson }).apiKey;
}

async function keyByName(name: string): Promise<KeyJson> {
  const response = await api('/api/api-key?numberOfResults=500');
  const { apiKeys } = (await response.json()) as { apiKeys: KeyJson[] };
  const found = apiKeys.find((key) => key.name === name);
  if (!found) throw new Error(`no key named ${name}`);
  return found;
}

/** Methods sorted, so that permissions compare as sets. */
function normalise(endpoints: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(endpoints)
      .map(([endpoint, methods]) => [endpoint, [...methods].sort()] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function row(page: Page, name: string) {
  return page.locator('tr', { has: page.locator('td.key-name', { hasText: name }) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-console-'));
  managerKey = randomKey();
  const kickstart = join(dir, 'kickstart.json');
  writeFileSync(
    kickstart,
    JSON.stringify({
      apiKeys: [{ key: managerKey, description: 'console manager', keyManager: true }],
    }),
  );
  service = await spawnService({
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    KICKSTART_FILE: kickstart,
  });
  await service.ready;
  browser = await launchChromium();
  table = (
    (await (await fetch(`${service.url}/admin/endpoints.json`)).json()) as {
      endpoints: Endpoint[];
    }
  ).endpoints;
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the admin console', () => {
  it('is served with its security headers, at /admin and /admin/', async () => {
    const page = await fetch(`${service.url}/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    // No inline script, nothing from another host.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${service.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');

    const slash = await fetch(`${service.url}/admin/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/admin');
    expect((await fetch(`${service.url}/admin/assets/nothing.js`)).status).toBe(404);

    const endpoints = await fetch(`${service.url}/admin/endpoints.json`);
    expect(endpoints.status).toBe(200);
    expect(endpoints.headers.get('content-security-policy')).toBe(csp);
    expect(table.find((e) => e.name === '/api/user/bulk')?.methods).toEqual(['DELETE']);
  });

  it('signs in with a key manager only, keeps the key in sessionStorage, and forgets it on sign-out', async () => {
    const limited = await createKey({
      name: 'not a manager',
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    const { context, page, errors } = await openConsole(browser, service.url);
    await screenshot(page, '01-sign-in');
    await page.fill('#sign-in-key', limited.key!);
    await page.click('#sign-in');
    await page.waitForSelector('#sign-in-error:has-text("not a key-manager key")');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await signIn(page, managerKey);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([managerKey]);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).not.toContain(managerKey);

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.waitForSelector('#sign-in-key');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('builds a key with a row and a column toggle, edits, copies and deletes it', async () => {
    const { context, page, dialogs, errors } = await openConsole(browser, service.url);
    await signIn(page, managerKey);
    await page.waitForSelector('.key-table');
    await page.click('#new-key');
    await expect(page.textContent('.matrix-summary')).resolves.toContain('super key');

    // A key that is not retrievable needs a name: the API says so next to the field.
    await page.uncheck('#field-apiKey-retrievable');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-field="apiKey.name"] .field-error');
    await screenshot(page, '03-field-error');

    await page.fill('#field-apiKey-name', 'matrix key');
    await page.fill('#field-apiKey-metaData-attributes-description', 'one row, one column');
    await page.click('button.matrix-row[data-endpoint="/api/user"]');
    await page.click('button.matrix-column[data-method="GET"]');
    await expect(page.textContent('.matrix-summary')).resolves.toMatch(
      /endpoints, \d+ permissions/,
    );
    await screenshot(page, '02-key-form-matrix');
    await page.click('button[type=submit]');
    await page.waitForSelector('#new-key-value');
    await expect(page.textContent('.created .warning')).resolves.toContain('only time');
    const value = await page.textContent('#new-key-value');
    await screenshot(page, '04-key-created');

    const expected: Record<string, string[]> = {};
    for (const endpoint of table)
      if (endpoint.methods.includes('GET')) expected[endpoint.name] = ['GET'];
    expected['/api/user'] = table.find((e) => e.name === '/api/user')!.methods;
    const made = await keyByName('matrix key');
    expect(normalise(made.permissions.endpoints)).toEqual(normalise(expected));
    expect(made.retrievable).toBe(false);
    expect(made.metaData.attributes.description).toBe('one row, one column');
    // The value shown is the key: it reads tenants, and may not delete one.
    expect((await api('/api/tenant', { key: value! })).status).toBe(200);
    expect((await api(`/api/tenant/${made.id}`, { method: 'DELETE', key: value! })).status).toBe(
      401,
    );

    // Edit: a new name, one cell off.
    await page.click('.created button.primary');
    await page.waitForSelector('.key-table');
    await screenshot(page, '05-key-list');
    await row(page, 'matrix key').locator('button', { hasText: 'Edit' }).click();
    await expect(page.isDisabled('#field-apiKey-tenantId')).resolves.toBe(true);
    await page.fill('#field-apiKey-name', 'matrix key, edited');
    await page.uncheck('input[data-endpoint="/api/user"][data-method="DELETE"]');
    await page.click('button[type=submit]');
    await page.waitForSelector('.notice:has-text("Saved")');
    const edited = (await keyById(made.id))!;
    expect(edited.name).toBe('matrix key, edited');
    expect([...edited.permissions.endpoints['/api/user']].sort()).toEqual([
      'GET',
      'PATCH',
      'POST',
      'PUT',
    ]);
    expect(edited.metaData.attributes.description).toBe('one row, one column');

    // Copy: the same permissions under a new id and name.
    await row(page, 'matrix key, edited').locator('button', { hasText: 'Copy' }).click();
    await page.fill('#field-apiKey-name', 'matrix key copy');
    await page.click('button[type=submit]');
    await page.waitForSelector('#new-key-value');
    const copy = await keyByName('matrix key copy');
    expect(copy.id).not.toBe(made.id);
    expect(normalise(copy.permissions.endpoints)).toEqual(normalise(edited.permissions.endpoints));
    await page.click('.created button.primary');

    // Delete, after a confirmation that names the key.
    await page.waitForSelector('.key-table');
    await row(page, 'matrix key, edited').locator('button', { hasText: 'Delete' }).click();
    await expect(page.textContent('dialog .delete-name')).resolves.toBe('matrix key, edited');
    await screenshot(page, '06-delete-confirmation');
    await page.click('#confirm-delete');
    await page.waitForSelector('.notice:has-text("Deleted")');
    expect(await keyById(made.id)).toBeNull();
    expect(await keyById(copy.id)).not.toBeNull();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters and pages the list', async () => {
    for (let index = 0; index < 21; index++) await createKey({ name: `paged ${index}` });
    const { context, page } = await openConsole(browser, service.url);
    await signIn(page, managerKey);
    await page.waitForSelector('.key-table');
    await page.fill('#key-filter', 'paged');
    await expect(page.textContent('.pager span')).resolves.toBe('1–20 of 21');
    await page.click('.pager button:has-text("Next")');
    await expect(page.textContent('.pager span')).resolves.toBe('21–21 of 21');
    await page.fill('#key-filter', 'paged 13');
    await expect(page.locator('.key-table tbody tr').count()).resolves.toBe(1);
    await context.close();
  });

  it('shows a hostile key name as text, never as markup', async () => {
    const hostile = await createKey({
      name: HOSTILE,
      metaData: { attributes: { description: HOSTILE } },
    });
    const { context, page, dialogs, errors } = await openConsole(browser, service.url);
    await signIn(page, managerKey);
    await page.fill('#key-filter', 'onerror');
    const cells = row(page, HOSTILE);
    await expect(cells.locator('td.key-name').textContent()).resolves.toBe(HOSTILE);
    await expect(cells.locator('td.key-description').textContent()).resolves.toBe(HOSTILE);
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await cells.locator('button', { hasText: 'Delete' }).click();
    await expect(page.textContent('dialog .delete-name')).resolves.toBe(HOSTILE);
    await expect(page.locator('dialog img').count()).resolves.toBe(0);
    await screenshot(page, '07-hostile-name');
    await page.click('dialog button:has-text("Cancel")');
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await keyById(hostile.id)).not.toBeNull();
    await context.close();
  });

  it('lets a tenant-scoped manager see only its own tenant’s keys', async () => {
    const tenant = await api('/api/tenant', {
      method: 'POST',
      body: JSON.stringify({ tenant: { name: `console tenant ${Date.now()}` } }),
    });
    expect(tenant.status).toBe(200);
    const tenantId = ((await tenant.json()) as { tenant: { id: string } }).tenant.id;
    const manager = await createKey({ name: 'tenant manager', tenantId, keyManager: true });
    expect(manager.keyManager).toBe(true);
    await createKey({ name: 'tenant key', tenantId });
    await createKey({ name: 'global key' });

    const { context, page, errors } = await openConsole(browser, service.url);
    await signIn(page, manager.key!);
    await page.waitForSelector('td.key-name:has-text("tenant key")');
    const names = await page.locator('td.key-name').allTextContents();
    expect(names).toContain('tenant key');
    expect(names).not.toContain('global key');
    expect(names).not.toContain('matrix key copy');
    await screenshot(page, '08-tenant-manager');

    // What it creates lands in its tenant.
    await page.click('#new-key');
    await page.fill('#field-apiKey-name', 'made by the tenant manager');
    await page.click('button.matrix-row[data-endpoint="/api/user"]');
    await page.click('button[type=submit]');
    await page.waitForSelector('#new-key-value');
    expect((await keyByName('made by the tenant manager')).tenantId).toBe(tenantId);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs out with a message when the API refuses the key', async () => {
    const doomed = await createKey({ name: 'doomed manager', keyManager: true });
    const { context, page } = await openConsole(browser, service.url);
    await signIn(page, doomed.key!);
    expect((await api(`/api/api-key/${doomed.id}`, { method: 'DELETE' })).status).toBe(200);
    await page.click('a[data-view="cluster"]');
    await page.waitForSelector('#sign-in-key');
    await expect(page.textContent('#sign-in-error')).resolves.toContain('401');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await context.close();
  });

  it('does the whole key flow with the keyboard alone', async () => {
    const { context, page, dialogs, errors } = await openConsole(browser, service.url);
    const keyboard = page.keyboard;
    // The key field has the focus when the page opens.
    await keyboard.type(managerKey);
    await keyboard.press('Enter');
    await page.waitForSelector('.key-table');

    await tabTo(page, '#new-key');
    await keyboard.press('Enter');
    await page.waitForSelector('.key-form');
    await keyboard.type('keyboard key'); // the name field has the focus
    await tabTo(page, 'button.matrix-row[data-endpoint="/api/group"]');
    await keyboard.press('Enter');
    await tabTo(page, 'button.matrix-column[data-method="POST"]');
    await keyboard.press('Space');
    await tabTo(page, 'input[data-endpoint="/api/user/bulk"]');
    await keyboard.press('Space');
    await tabTo(page, 'button[type=submit]');
    await keyboard.press('Enter');
    await page.waitForSelector('#new-key-value');
    const made = await keyByName('keyboard key');
    const expected: Record<string, string[]> = { '/api/user/bulk': ['DELETE'] };
    for (const endpoint of table)
      if (endpoint.methods.includes('POST')) expected[endpoint.name] = ['POST'];
    expected['/api/group'] = table.find((e) => e.name === '/api/group')!.methods;
    expect(normalise(made.permissions.endpoints)).toEqual(normalise(expected));

    await tabTo(page, '.created button.primary');
    await keyboard.press('Enter');
    await page.waitForSelector('.key-table');
    await tabTo(page, '#key-filter');
    await keyboard.type('keyboard key');
    await tabTo(page, `button[aria-label="Edit keyboard key"]`);
    await keyboard.press('Enter');
    await page.waitForSelector('.key-form');
    await keyboard.press('End');
    await keyboard.type(', by keys');
    await keyboard.press('Enter'); // submits the form from its name field
    await page.waitForSelector('.notice:has-text("Saved")');
    expect((await keyById(made.id))!.name).toBe('keyboard key, by keys');

    await tabTo(page, '#key-filter');
    await keyboard.type('keyboard key');
    await tabTo(page, `button[aria-label="Delete keyboard key, by keys"]`);
    await keyboard.press('Enter');
    await page.waitForSelector('dialog[open]');
    await tabTo(page, '#confirm-delete');
    await keyboard.press('Enter');
    await page.waitForSelector('.notice:has-text("Deleted")');
    expect(await keyById(made.id)).toBeNull();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
