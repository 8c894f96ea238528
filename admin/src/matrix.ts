import { el } from './dom';
import { PermissionTable } from './model';

export interface Matrix {
  element: HTMLElement;
  /** The selection as the API takes it: endpoint → methods; empty is a super key. */
  value(): Record<string, string[]>;
}

/**
 * FusionAuth's permission matrix: a checkbox per endpoint and method the endpoint takes;
 * a column header toggles its column, an endpoint name its row. Headers are buttons and
 * cells checkboxes, so the keyboard works it as well as the mouse.
 */
export function permissionMatrix(
  table: PermissionTable,
  initial: Record<string, string[]>,
  readOnly = false,
): Matrix {
  const boxes = new Map<string, HTMLInputElement>();
  const at = (endpoint: string, method: string) => `${endpoint} ${method}`;
  const summary = el('p', { class: 'matrix-summary', 'aria-live': 'polite' });

  const value = (): Record<string, string[]> => {
    const endpoints: Record<string, string[]> = {};
    for (const endpoint of table.endpoints) {
      const methods = endpoint.methods.filter((m) => boxes.get(at(endpoint.name, m))?.checked);
      if (methods.length > 0) endpoints[endpoint.name] = methods;
    }
    return endpoints;
  };
  const refresh = () => {
    const chosen = value();
    const rows = Object.keys(chosen).length;
    const cells = Object.values(chosen).reduce((sum, methods) => sum + methods.length, 0);
    summary.textContent =
      rows === 0
        ? 'No endpoints selected: this is a super key (every endpoint, every method).'
        : `${rows} endpoint${rows === 1 ? '' : 's'}, ${cells} permission${cells === 1 ? '' : 's'} selected: only these.`;
    summary.classList.toggle('super', rows === 0);
  };
  /** All on unless all are already on, as FusionAuth toggles a row or a column. */
  const toggle = (group: HTMLInputElement[]) => {
    const on = !group.every((box) => box.checked);
    for (const box of group) box.checked = on;
    refresh();
  };
  const column = (method: string) =>
    table.endpoints.flatMap((e) => boxes.get(at(e.name, method)) ?? []);
  const row = (endpoint: string) => table.methods.flatMap((m) => boxes.get(at(endpoint, m)) ?? []);

  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Endpoint'),
    ...table.methods.map((method) =>
      el(
        'th',
        { scope: 'col' },
        el(
          'button',
          {
            type: 'button',
            class: 'matrix-column',
            'data-method': method,
            'aria-label': `Toggle the ${method} column`,
            disabled: readOnly,
            onclick: () => toggle(column(method)),
          },
          method,
        ),
      ),
    ),
  );
  const rows = table.endpoints.map((endpoint) =>
    el(
      'tr',
      {},
      el(
        'th',
        { scope: 'row' },
        el(
          'button',
          {
            type: 'button',
            class: 'matrix-row',
            'data-endpoint': endpoint.name,
            'aria-label': `Toggle the ${endpoint.name} row`,
            disabled: readOnly,
            onclick: () => toggle(row(endpoint.name)),
          },
          endpoint.name,
        ),
        endpoint.globalOnly ? el('span', { class: 'tag', title: 'global-only' }, 'global') : null,
      ),
      ...table.methods.map((method) => {
        if (!endpoint.methods.includes(method)) return el('td', { class: 'none' });
        const box = el('input', {
          type: 'checkbox',
          'data-endpoint': endpoint.name,
          'data-method': method,
          'aria-label': `${method} ${endpoint.name}`,
          checked: initial[endpoint.name]?.includes(method) ?? false,
          disabled: readOnly,
          onchange: refresh,
        });
        boxes.set(at(endpoint.name, method), box);
        return el('td', {}, box);
      }),
    ),
  );
  refresh();
  const element = el(
    'div',
    { class: 'matrix', 'data-field': 'apiKey.permissions.endpoints' },
    summary,
    el(
      'div',
      { class: 'matrix-scroll' },
      el(
        'table',
        { class: 'matrix-table' },
        el('caption', {}, 'Permissions: endpoint × method'),
        el('thead', {}, head),
        el('tbody', {}, ...rows),
      ),
    ),
  );
  return { element, value };
}
