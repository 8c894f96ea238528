import { ApiFailure, call, SignedOut } from './api';
import { Context, Directory } from './context';
import { el, replace } from './dom';
import { clearErrors, showErrors } from './errors';
import { permissionMatrix } from './matrix';
import { ApiKey, describe, label } from './model';

export type FormMode =
  { mode: 'create' } | { mode: 'edit'; key: ApiKey } | { mode: 'copy'; source: ApiKey };

export interface FormOutcome {
  saved: ApiKey | null;
  /** True when the key's value came back from a create (the one time it is shown). */
  created: boolean;
}

function field(name: string, labelText: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = `field-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  control.id = id;
  return el(
    'div',
    { class: 'field', 'data-field': name },
    el('label', { for: id }, labelText),
    control,
    hint ? el('p', { class: 'hint' }, hint) : null,
  );
}

/** `datetime-local` speaks the browser's local time; the API epoch milliseconds. */
function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

function choice(
  options: { id: string; name: string }[] | null,
  none: string,
  selected: string | undefined,
  disabled: boolean,
): HTMLInputElement | HTMLSelectElement {
  if (options === null)
    return el('input', {
      type: 'text',
      value: selected ?? '',
      placeholder: `${none} (or an id)`,
      disabled,
    });
  return el(
    'select',
    { disabled },
    el('option', { value: '' }, none),
    ...options.map((option) =>
      el(
        'option',
        { value: option.id, selected: option.id === selected },
        `${option.name} (${option.id})`,
      ),
    ),
  );
}

/** The create, edit and copy form; resolves when the person saves or cancels. */
export function keyForm(
  context: Context,
  directory: Directory,
  mode: FormMode,
): Promise<FormOutcome> {
  return new Promise((resolve) => {
    const existing = mode.mode === 'edit' ? mode.key : mode.mode === 'copy' ? mode.source : null;
    const copying = mode.mode === 'copy';
    const editing = mode.mode === 'edit';
    const name = el('input', {
      type: 'text',
      value: editing ? (existing?.name ?? '') : '',
      maxlength: 191,
      autocomplete: 'off',
    });
    const description = el('input', {
      type: 'text',
      value: editing && existing ? describe(existing) : '',
    });
    const tenant = choice(
      directory.tenants,
      'Global (every tenant)',
      existing?.tenantId,
      editing || copying,
    );
    const retrievable = el('input', {
      type: 'checkbox',
      checked: editing ? mode.key.retrievable : true,
      disabled: editing,
    });
    const expiry = el('input', {
      type: 'datetime-local',
      value: toLocalInput(existing?.expirationInstant),
    });
    const acl = choice(directory.acls, 'No IP ACL', existing?.ipAccessControlListId, copying);
    const manager = el('input', {
      type: 'checkbox',
      checked: editing && existing?.keyManager === true,
      disabled: editing,
    });
    const matrix = permissionMatrix(
      directory.table,
      existing?.permissions.endpoints ?? {},
      copying,
    );
    const general = el('div', { class: 'general-errors', role: 'alert', hidden: true });
    const title = editing
      ? `Edit key “${label(mode.key)}”`
      : copying
        ? `Copy key “${label(mode.source)}”`
        : 'New API key';

    const body = (): unknown => {
      const attributes = { ...(editing ? mode.key.metaData.attributes : {}) };
      if (description.value.trim() === '') delete attributes.description;
      else attributes.description = description.value.trim();
      const apiKey: Record<string, unknown> = {
        name: name.value.trim() === '' ? null : name.value.trim(),
        metaData: { attributes },
        retrievable: retrievable.checked,
        expirationInstant: expiry.value === '' ? null : new Date(expiry.value).getTime(),
        keyManager: manager.checked,
      };
      if (!copying) {
        apiKey.tenantId = tenant.value === '' ? null : tenant.value.trim();
        apiKey.ipAccessControlListId = acl.value === '' ? null : acl.value.trim();
        apiKey.permissions = { endpoints: matrix.value() };
      }
      return copying ? { apiKey, sourceKeyId: mode.source.id } : { apiKey };
    };

    const save = el(
      'button',
      { type: 'submit', class: 'primary' },
      editing ? 'Save key' : copying ? 'Create copy' : 'Create key',
    );
    const form = el(
      'form',
      { class: 'key-form', novalidate: true, 'aria-labelledby': 'form-title' },
      el('h2', { id: 'form-title' }, title),
      general,
      el('div', { 'data-field': 'sourceKeyId' }),
      el(
        'div',
        { class: 'grid' },
        field('apiKey.name', 'Name', name),
        field('apiKey.metaData.attributes.description', 'Description', description),
        field(
          'apiKey.tenantId',
          'Tenant',
          tenant,
          editing
            ? 'Fixed when the key was created.'
            : copying
              ? 'The copy keeps the source key’s tenant.'
              : undefined,
        ),
        field(
          'apiKey.ipAccessControlListId',
          'IP access control list',
          acl,
          copying ? 'The copy keeps the source key’s list.' : undefined,
        ),
        field('apiKey.expirationInstant', 'Expires', expiry, 'Empty: never.'),
        el(
          'div',
          { class: 'checks' },
          field(
            'apiKey.retrievable',
            'Retrievable (its value can be read back later)',
            retrievable,
            editing ? 'Fixed when the key was created.' : undefined,
          ),
          field(
            'apiKey.keyManager',
            'Key manager (may manage keys of equal or lesser authority)',
            manager,
            editing ? 'Fixed when the key was created.' : undefined,
          ),
        ),
      ),
      copying
        ? el(
            'p',
            { class: 'hint' },
            'A copy takes the source key’s permissions, tenant and IP ACL.',
          )
        : null,
      matrix.element,
      el(
        'div',
        { class: 'actions' },
        save,
        el(
          'button',
          { type: 'button', onclick: () => resolve({ saved: null, created: false }) },
          'Cancel',
        ),
      ),
    );
    // An error goes once its field is changed.
    form.addEventListener('input', (event) => {
      const holder = (event.target as Element).closest('[data-field]');
      if (holder?.classList.contains('matrix')) return;
      holder?.classList.remove('has-error');
      holder?.querySelector('.field-error')?.remove();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearErrors(form, general);
      save.disabled = true;
      const request = editing
        ? call<{ apiKey: ApiKey }>('PUT', `/api/api-key/${mode.key.id}`, { body: body() })
        : call<{ apiKey: ApiKey }>('POST', '/api/api-key', { body: body() });
      request.then(
        ({ apiKey }) => resolve({ saved: apiKey, created: !editing }),
        (error: unknown) => {
          save.disabled = false;
          if (error instanceof ApiFailure) {
            showErrors(form, general, error);
            form.querySelector<HTMLElement>('.has-error input, .has-error select')?.focus();
          } else if (!(error instanceof SignedOut)) {
            context.notify(`Could not save: ${String(error)}`, 'error');
          }
        },
      );
    });
    replace(context.main, form);
    name.focus();
  });
}
