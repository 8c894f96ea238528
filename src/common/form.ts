/** A parsed `application/x-www-form-urlencoded` body: every value of every name, in order. */
export type FormBody = Readonly<Record<string, string[]>>;

/**
 * Reads a form body. Names map to all their values, so a reader can refuse a repeated
 * parameter (RFC 6749 §3.2) rather than silently take one; the object has no prototype,
 * so a field named `__proto__` or `constructor` is only a field.
 */
export function parseForm(text: string): FormBody {
  const form: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(text)) (form[name] ??= []).push(value);
  return form;
}

export function isForm(body: unknown): body is FormBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    Object.getPrototypeOf(body) === null &&
    Object.values(body).every(Array.isArray)
  );
}
