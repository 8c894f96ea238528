// Helpers shared by the offline checks of the deployment files (Dockerfile,
// docker-compose.yml, deploy/, k8s/). Nothing here starts a container or a cluster.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO = join(__dirname, '..', '..');

export function repoPath(relative: string): string {
  return join(REPO, relative);
}

export function readRepoFile(relative: string): string {
  const path = repoPath(relative);
  if (!existsSync(path)) throw new Error(`${relative} is missing from the repository`);
  return readFileSync(path, 'utf8');
}

/** Every document of a YAML stream, as plain data; a syntax error fails the test. */
export function parseYamlStream(text: string, what: string): unknown[] {
  return parseAllDocuments(text, { merge: true })
    .map((document) => {
      if (document.errors.length > 0) {
        throw new Error(`${what} is not valid YAML: ${document.errors[0].message}`);
      }
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

/** The placeholder every secret value in the committed templates carries. */
export const PLACEHOLDER = 'REPLACE_ME';

interface KickstartKeyEntry {
  key?: unknown;
  keyManager?: unknown;
}

/**
 * Checks a kickstart file the way Portcullis reads it (variables first, then `#{name}` in
 * the keys) and returns the environment variables the key-manager keys come from. A key
 * written out literally is an error: the value must come from a Secret.
 */
export function kickstartKeyManagerEnv(text: string, what: string): string[] {
  const json = JSON.parse(text) as {
    variables?: Record<string, unknown>;
    apiKeys?: KickstartKeyEntry[];
  };
  const variables = json.variables ?? {};
  const managers = (json.apiKeys ?? []).filter((entry) => entry.keyManager === true);
  if (managers.length === 0) throw new Error(`${what} creates no keyManager key`);
  return managers.map((entry, index) => {
    const key = typeof entry.key === 'string' ? entry.key : '';
    const reference = /^#\{([^}]+)\}$/.exec(key)?.[1];
    const resolved =
      reference === undefined || reference.startsWith('ENV.') ? key : variables[reference];
    const env =
      typeof resolved === 'string' ? /^#\{ENV\.([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(resolved) : null;
    if (env === null) {
      throw new Error(
        `${what}: the keyManager key apiKeys[${index}] must be "#{ENV.NAME}" (directly or ` +
          `through a variable), not ${JSON.stringify(key)}`,
      );
    }
    return env[1];
  });
}

/**
 * The environment variables Portcullis reads, taken from its configuration schema, so
 * that a misspelt setting in a deployment file fails here instead of being ignored.
 */
export function settingsReadByPortcullis(): Set<string> {
  const schema = readRepoFile('src/config/config.schema.ts');
  const names = new Set([...schema.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]));
  if (!names.has('DATABASE_URL') || !names.has('PORT')) {
    throw new Error(
      'could not read the settings from src/config/config.schema.ts ' +
        "(expected calls like text(env, 'NAME')); update settingsReadByPortcullis()",
    );
  }
  return names;
}

/** Variables the Node.js runtime itself reads, which the deployment files may set. */
export const RUNTIME_VARIABLES = ['NODE_ENV', 'NODE_OPTIONS'];

/** Strings shaped like a real credential: long, mixing letters and digits, or a PEM block. */
export function realLookingSecrets(text: string): string[] {
  const tokens = text.match(/[A-Za-z0-9+/_-]{24,}={0,2}/g) ?? [];
  const suspicious = tokens.filter(
    (token) => /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token),
  );
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) suspicious.push('a PEM private key');
  return suspicious;
}
