import { isKeyManager, whenSignedOut } from './api';
import { ClusterScreen } from './cluster';
import { Context } from './context';
import { el, replace } from './dom';
import { KeysScreen } from './keys';
import { currentKey, forgetKey, rememberKey } from './session';

type View = 'keys' | 'cluster';

const root = document.getElementById('app') as HTMLElement;
const notice = el('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
const main = el('main', { id: 'main', tabindex: -1 });

/**
 * Each screen draws into a container of its own, so that one still loading when the person
 * moves on writes into a detached node, never over the screen that replaced it.
 */
function screenContext(): Context {
  const screen = el('div', { class: 'screen' });
  replace(main, screen);
  return {
    main: screen,
    notify(message, kind = 'info') {
      if (!screen.isConnected) return;
      replace(notice, message);
      notice.className = `notice ${kind}`;
    },
  };
}

let cluster: ClusterScreen | null = null;

function viewOf(hash: string): View {
  return hash === '#/cluster' ? 'cluster' : 'keys';
}

function signInScreen(message?: string): void {
  cluster?.close();
  cluster = null;
  const key = el('input', {
    type: 'password',
    id: 'sign-in-key',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const error = el(
    'p',
    { class: 'field-error', id: 'sign-in-error', role: 'alert' },
    message ?? '',
  );
  const form = el(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    el('h1', { id: 'sign-in-title' }, 'Portcullis admin console'),
    el(
      'p',
      {},
      'Sign in with a key-manager API key. It stays in this tab only (session storage) and is sent with each API call.',
    ),
    el('label', { for: 'sign-in-key' }, 'API key'),
    key,
    error,
    el('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (value === '') return;
    isKeyManager(value).then(
      (ok) => {
        if (!ok) {
          error.textContent =
            'That key was refused: it is not a key-manager key, or it is unknown, expired or blocked here.';
          key.focus();
          return;
        }
        rememberKey(value);
        signedIn();
      },
      (failure: unknown) => (error.textContent = `The API did not answer: ${String(failure)}`),
    );
  });
  replace(root, form);
  key.focus();
}

function signOut(message: string): void {
  forgetKey();
  signInScreen(message);
}

function show(view: View): void {
  cluster?.close();
  cluster = null;
  replace(notice);
  notice.className = 'notice';
  for (const link of root.querySelectorAll<HTMLAnchorElement>('nav.views a'))
    link.toggleAttribute('aria-current', link.dataset.view === view);
  if (view === 'cluster') {
    cluster = new ClusterScreen(screenContext());
    cluster.open();
  } else {
    void new KeysScreen(screenContext()).open();
  }
}

function signedIn(): void {
  const header = el(
    'header',
    {},
    el('h1', {}, 'Portcullis'),
    el(
      'nav',
      { class: 'views', 'aria-label': 'Screens' },
      el('a', { href: '#/keys', 'data-view': 'keys' }, 'API keys'),
      el('a', { href: '#/cluster', 'data-view': 'cluster' }, 'Cluster'),
    ),
    el(
      'button',
      {
        type: 'button',
        id: 'sign-out',
        onclick: () => signOut('Signed out: the key is forgotten.'),
      },
      'Sign out',
    ),
  );
  replace(root, header, notice, main);
  show(viewOf(location.hash));
}

whenSignedOut((message) => signInScreen(message));
window.addEventListener('hashchange', () => {
  if (currentKey() !== null) show(viewOf(location.hash));
});
if (currentKey() === null) signInScreen();
else signedIn();
