import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
