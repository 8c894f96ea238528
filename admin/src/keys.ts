import { call, SignedOut } from './api';
import { Context, Directory } from './context';
import { el, replace } from './dom';
import { FormMode, keyForm } from './key-form';
import {
  ApiKey,
  describe,
  formatInstant,
  IpAcl,
  kindOf,
  label,
  PermissionTable,
  Tenant,
} from './model';

const PAGE_SIZE = 20;
const FETCH_SIZE = 500;

async function loadDirectory(): Promise<Directory> {
  const [table, tenants, acls] = await Promise.all([
    fetch('/admin/endpoints.json', { cache: 'no-store' }).then(
      (r) => r.json() as Promise<PermissionTable>,
    ),
    call<{ tenants: Tenant[] } | null>('GET', '/api/tenant', { optional: true }),
    call<{ ipAccessControlLists: IpAcl[] } | null>(
      'GET',
      `/api/ip-acl/search?numberOfResults=${FETCH_SIZE}`,
      {
        optional: true,
      },
    ),
  ]);
  return { table, tenants: tenants?.tenants ?? null, acls: acls?.ipAccessControlLists ?? null };
}

/** Every key the signed-in manager may see, page by page of the list endpoint. */
async function loadKeys(): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  for (;;) {
    const page = await call<{ apiKeys: ApiKey[]; total: number }>(
      'GET',
      `/api/api-key?startRow=${keys.length}&numberOfResults=${FETCH_SIZE}`,
    );
    keys.push(...page.apiKeys);
    if (page.apiKeys.length === 0 || keys.length >= page.total) return keys;
  }
}

function nameOf(
  list: { id: string; name: string }[] | null,
  id: string | undefined,
  none: string,
): string {
  if (id === undefined) return none;
  return list?.find((entry) => entry.id === id)?.name ?? id;
}

/** The API Keys screen: list, filter, paging, and the create / edit / copy / delete flows. */
export class KeysScreen {
  private directory: Directory | null = null;
  private keys: ApiKey[] = [];
  private filter = '';
  private page = 0;

  constructor(private readonly context: Context) {}

  async open(): Promise<void> {
    replace(this.context.main, el('p', { class: 'loading' }, 'Loading keys…'));
    try {
      this.directory ??= await loadDirectory();
      this.keys = await loadKeys();
      this.renderList();
    } catch (error) {
      if (!(error instanceof SignedOut))
        this.context.notify(`Could not load keys: ${String(error)}`, 'error');
    }
  }

  private tenantName(key: ApiKey): string {
    return nameOf(this.directory?.tenants ?? null, key.tenantId, 'Global');
  }

  private aclName(key: ApiKey): string {
    return nameOf(this.directory?.acls ?? null, key.ipAccessControlListId, '—');
  }

  /** Keys with any field (id, name, description, tenant, kind, IP ACL) containing the filter text. */
  private matching(): ApiKey[] {
    const needle = this.filter.trim().toLowerCase();
    if (needle === '') return this.keys;
    return this.keys.filter((key) =>
      [
        key.id,
        key.name ?? '',
        describe(key),
        this.tenantName(key),
        kindOf(key),
        this.aclName(key),
      ].some((text) => text.toLowerCase().includes(needle)),
    );
  }

  private renderList(focusFilter = false): void {
    const shown = this.matching();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const slice = shown.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const filter = el('input', {
      type: 'search',
      id: 'key-filter',
      value: this.filter,
      placeholder: 'name, description, tenant, kind, id…',
      oninput: (event) => {
        this.filter = (event.target as HTMLInputElement).value;
        this.page = 0;
        this.renderList(true);
      },
    });
    const rows = slice.map((key) =>
      el(
        'tr',
        { 'data-key-id': key.id },
        el('td', { class: 'key-name' }, key.name ?? ''),
        el('td', { class: 'key-description' }, describe(key)),
        el('td', {}, this.tenantName(key)),
        el('td', {}, el('span', { class: `kind kind-${kindOf(key)}` }, kindOf(key))),
        el(
          'td',
          {},
          key.expirationInstant === undefined ? 'never' : formatInstant(key.expirationInstant),
        ),
        el('td', {}, this.aclName(key)),
        el(
          'td',
          { class: 'row-actions' },
          el(
            'button',
            {
              type: 'button',
              'aria-label': `Edit ${label(key)}`,
              onclick: () => void this.edit({ mode: 'edit', key }),
            },
            'Edit',
          ),
          key.keyManager
            ? null
            : el(
                'button',
                {
                  type: 'button',
                  'aria-label': `Copy ${label(key)}`,
                  onclick: () => void this.edit({ mode: 'copy', source: key }),
                },
                'Copy',
              ),
          el(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Delete ${label(key)}`,
              onclick: () => this.confirmDelete(key),
            },
            'Delete',
          ),
        ),
      ),
    );
    const first = shown.length === 0 ? 0 : this.page * PAGE_SIZE + 1;
    replace(
      this.context.main,
      el(
        'section',
        { class: 'keys', 'aria-labelledby': 'keys-title' },
        el(
          'div',
          { class: 'toolbar' },
          el('h2', { id: 'keys-title' }, 'API keys'),
          el('label', { for: 'key-filter', class: 'filter' }, 'Filter ', filter),
          el(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'new-key',
              onclick: () => void this.edit({ mode: 'create' }),
            },
            'New key',
          ),
        ),
        el(
          'table',
          { class: 'key-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Name', 'Description', 'Tenant', 'Kind', 'Expires', 'IP ACL', 'Actions'].map(
                (h) => el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          el('tbody', {}, ...rows),
        ),
        shown.length === 0
          ? el('p', { class: 'empty' }, this.filter ? 'No key matches the filter.' : 'No keys.')
          : null,
        el(
          'nav',
          { class: 'pager', 'aria-label': 'Pages of keys' },
          el(
            'button',
            { type: 'button', disabled: this.page === 0, onclick: () => this.goTo(this.page - 1) },
            'Previous',
          ),
          el(
            'span',
            { 'aria-live': 'polite' },
            `${first}–${first + slice.length - Math.min(1, slice.length)} of ${shown.length}`,
          ),
          el(
            'button',
            {
              type: 'button',
              disabled: this.page >= pages - 1,
              onclick: () => this.goTo(this.page + 1),
            },
            'Next',
          ),
        ),
      ),
    );
    if (focusFilter) {
      filter.focus();
      filter.setSelectionRange(filter.value.length, filter.value.length);
    }
  }

  private goTo(page: number): void {
    this.page = page;
    this.renderList();
  }

  private async edit(mode: FormMode): Promise<void> {
    if (this.directory === null) return;
    const outcome = await keyForm(this.context, this.directory, mode);
    if (outcome.saved === null) return this.renderList();
    if (outcome.created) return this.showCreated(outcome.saved);
    this.context.notify(`Saved “${label(outcome.saved)}”.`);
    await this.open();
  }

  /** A new key's value, shown this once (the API keeps it only when the key is retrievable). */
  private showCreated(key: ApiKey): void {
    const value = el('code', { id: 'new-key-value', class: 'secret' }, key.key ?? '');
    const copied = el('span', { class: 'copied', 'aria-live': 'polite' });
    const copy = el(
      'button',
      {
        type: 'button',
        id: 'copy-key-value',
        onclick: () => {
          navigator.clipboard.writeText(key.key ?? '').then(
            () => (copied.textContent = 'Copied.'),
            () => {
              getSelection()?.selectAllChildren(value);
              copied.textContent =
                'Copying is blocked here: the value is selected, copy it with your keyboard.';
            },
          );
        },
      },
      'Copy value',
    );
    const done = el(
      'button',
      { type: 'button', class: 'primary', onclick: () => void this.open() },
      'Done',
    );
    replace(
      this.context.main,
      el(
        'section',
        { class: 'created', 'aria-labelledby': 'created-title' },
        el('h2', { id: 'created-title' }, `Key “${label(key)}” created`),
        key.retrievable
          ? el(
              'p',
              {},
              'This key is retrievable: its value can be read back later through the API.',
            )
          : el(
              'p',
              { class: 'warning', role: 'alert' },
              'This key is not retrievable: this is the only time its value is shown. Copy it now and keep it safe.',
            ),
        el('div', { class: 'secret-box' }, value, copy, copied),
        el('div', { class: 'actions' }, done),
      ),
    );
    copy.focus();
  }

  private confirmDelete(key: ApiKey): void {
    const cancel = el('button', { type: 'button', autofocus: true }, 'Cancel');
    const confirm = el(
      'button',
      { type: 'button', class: 'danger', id: 'confirm-delete' },
      'Delete key',
    );
    const dialog = el(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'delete-title' },
      el('h2', { id: 'delete-title' }, 'Delete this key?'),
      el(
        'p',
        {},
        'Delete the key “',
        el('strong', { class: 'delete-name' }, label(key)),
        '” (',
        key.id,
        ')? Anything that uses it is refused from now on.',
      ),
      el('div', { class: 'actions' }, cancel, confirm),
    );
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', () => dialog.remove());
    confirm.addEventListener('click', () => {
      confirm.disabled = true;
      call('DELETE', `/api/api-key/${key.id}`).then(
        () => {
          close();
          this.context.notify(`Deleted “${label(key)}”.`);
          void this.open();
        },
        (error: unknown) => {
          close();
          if (!(error instanceof SignedOut))
            this.context.notify(`Could not delete: ${String(error)}`, 'error');
        },
      );
    });
    document.body.append(dialog);
    dialog.showModal();
  }
}
