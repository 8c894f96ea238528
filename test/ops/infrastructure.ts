import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Debian binary an ops suite needs, or null (said loudly) when it is missing: `.ci/run`
 * installs the packages; elsewhere the suite is skipped with the reason.
 */
export function debianBinary(path: string, debianPackage: string): string | null {
  if (existsSync(path)) return path;
  console.warn(
    `SKIPPED: ${path} is missing; install Debian's ${debianPackage} (apt-get install ${debianPackage}), as .ci/run does`,
  );
  return null;
}

/** A command's standard output, or an error naming its standard error. */
export function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout;
}

/** A CA, and a server certificate it signs for `subjectAltName`. */
export function certificates(openssl: string, dir: string, name: string, subjectAltName: string) {
  const ca = join(dir, 'ca');
  if (!existsSync(`${ca}.pem`)) {
    run(openssl, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Portcullis test CA',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
    ]);
  }
  const server = join(dir, name);
  run(openssl, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${server}.key`,
    '-out',
    `${server}.csr`,
  ]);
  writeFileSync(`${server}.ext`, `subjectAltName=${subjectAltName}\n`);
  run(openssl, [
    'x509',
    '-req',
    '-in',
    `${server}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${server}.ext`,
    '-out',
    `${server}.pem`,
  ]);
  return { ca: `${ca}.pem`, cert: `${server}.pem`, key: `${server}.key` };
}
