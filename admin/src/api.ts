import { currentKey, forgetKey } from './session';

export interface ErrorEntry {
  code: string;
  message: string;
}

export interface ErrorBody {
  fieldErrors?: Record<string, ErrorEntry[]>;
  generalErrors?: ErrorEntry[];
}

/** A refused call (any status but 2xx), with FusionAuth's error body when there is one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`The API answered ${status}`);
  }
}

/** Raised after a 401 has signed the page out; callers only stop. */
export class SignedOut extends Error {}

type SignOutListener = (message: string) => void;
let onSignedOut: SignOutListener = () => undefined;

export function whenSignedOut(listener: SignOutListener): void {
  onSignedOut = listener;
}

export interface CallOptions {
  body?: unknown;
  /**
   * A 401 here means only that the key may not use this endpoint (a lookup the page can do
   * without), not that the key is gone: answer null instead of signing out.
   */
  optional?: boolean;
}

/** An ordinary API call with the signed-in key as `Authorization`, as any client makes it. */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const key = currentKey();
  if (key === null) throw new SignedOut();
  const headers: Record<string, string> = { authorization: key };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.status === 401) {
    if (options.optional) return null as T;
    forgetKey();
    onSignedOut(
      'The API refused the key (401): you are signed out. Sign in with a key-manager key.',
    );
    throw new SignedOut();
  }
  const text = await response.text();
  const body: unknown = text === '' ? {} : JSON.parse(text);
  if (!response.ok) throw new ApiFailure(response.status, body as ErrorBody);
  return body as T;
}

/** Whether this key can use the API Key API (only key managers can). */
export async function isKeyManager(key: string): Promise<boolean> {
  const response = await fetch('/api/api-key?numberOfResults=1', {
    headers: { authorization: key },
    cache: 'no-store',
    credentials: 'omit',
  });
  return response.status === 200;
}
