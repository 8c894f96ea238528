import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIELD_REASONS, GENERAL_ERRORS } from './error.catalog';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && name !== 'error.catalog.ts'
      ? [path]
      : [];
  });
}

const code = sources(join(ROOT, 'src'))
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the error catalog', () => {
  const codes = [...Object.keys(FIELD_REASONS), ...Object.keys(GENERAL_ERRORS)];

  it.each(codes)('uses %s somewhere in the service', (name) => {
    expect(new RegExp(`['"]${name}['"]`).test(code)).toBe(true);
  });

  it.each(codes)('documents [%s] in the README', (name) => {
    expect(readme.includes(`[${name}]`)).toBe(true);
  });

  it('gives every general code a status and a message', () => {
    for (const entry of Object.values(GENERAL_ERRORS)) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.message.length).toBeGreaterThan(10);
    }
  });
});
