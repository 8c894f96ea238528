/**
 * The signed-in key lives in this tab's sessionStorage only: never a cookie (so no request
 * carries it unless the page adds it), never localStorage (it ends with the tab), never a URL.
 */
const STORAGE_KEY = 'portcullis.admin.apiKey';

export function currentKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function rememberKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
