import { clearedCookies, loginCookies, serializeCookie } from './login.cookies';

const LAX = { secure: true, sameSite: 'Lax' } as const;

describe('login cookies', () => {
  it('writes a session cookie without Max-Age and a persistent one with it', () => {
    expect(loginCookies(LAX, 'a.b.c', { token: 'r-1_x', maxAgeSeconds: 3600 })).toEqual([
      'access_token=a.b.c; Path=/; HttpOnly; Secure; SameSite=Lax',
      'refresh_token=r-1_x; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(loginCookies({ secure: false, sameSite: 'Strict' }, 'a.b.c', null)).toEqual([
      'access_token=a.b.c; Path=/; HttpOnly; SameSite=Strict',
    ]);
  });

  it('clears both cookies with Max-Age=0', () => {
    expect(clearedCookies({ secure: true, sameSite: 'None' })).toEqual([
      'access_token=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None',
      'refresh_token=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None',
    ]);
  });

  it.each(['a;b', 'a b', 'a,b', 'a"b', 'a\\b', 'a\nb', 'é'])(
    'refuses a value needing escapes (%j)',
    (value) => {
      expect(() => serializeCookie('access_token', value, LAX, null)).toThrow();
    },
  );

  it('refuses a bad name', () => {
    expect(() => serializeCookie('a=b', 'x', LAX, null)).toThrow();
  });
});
