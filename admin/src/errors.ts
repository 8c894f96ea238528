import { ApiFailure, ErrorEntry } from './api';
import { el, replace } from './dom';

/**
 * Puts each of the API's `fieldErrors` next to its field (the element marked with
 * `data-field`), and what has no field in the form's general error box.
 */
export function showErrors(form: HTMLElement, general: HTMLElement, failure: ApiFailure): void {
  clearErrors(form, general);
  const loose: ErrorEntry[] = [...(failure.body.generalErrors ?? [])];
  for (const [field, entries] of Object.entries(failure.body.fieldErrors ?? {})) {
    const holder = [...form.querySelectorAll<HTMLElement>('[data-field]')].find(
      (node) => node.dataset.field === field,
    );
    if (holder === undefined) {
      loose.push(...entries.map((e) => ({ ...e, message: `${field}: ${e.message}` })));
      continue;
    }
    const id = `error-${field.replace(/[^a-zA-Z0-9]/g, '-')}`;
    holder.classList.add('has-error');
    holder.append(
      el('p', { class: 'field-error', id, role: 'alert' }, entries.map((e) => e.message).join(' ')),
    );
    holder.querySelector('input, select, textarea')?.setAttribute('aria-describedby', id);
  }
  if (loose.length === 0 && !failure.body.fieldErrors)
    loose.push({ code: String(failure.status), message: `The API answered ${failure.status}.` });
  if (loose.length > 0)
    replace(general, el('ul', {}, ...loose.map((entry) => el('li', {}, entry.message))));
  general.hidden = loose.length === 0;
}

export function clearErrors(form: HTMLElement, general: HTMLElement): void {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('.has-error')) node.classList.remove('has-error');
  for (const node of form.querySelectorAll('[aria-describedby]'))
    node.removeAttribute('aria-describedby');
  replace(general);
  general.hidden = true;
}
