// No deployment file commits a real credential: secrets come from the environment or a
// Secret, and what is committed is a placeholder or a development default.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { kickstartKeyManagerEnv, readRepoFile, realLookingSecrets, repoPath } from './deploy-files';

const DEPLOYMENT_FILES = [
  'Dockerfile',
  '.dockerignore',
  'docker-compose.yml',
  ...['deploy', 'k8s'].flatMap((dir) =>
    readdirSync(repoPath(dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(relative(repoPath(''), entry.parentPath), entry.name)),
  ),
];

describe('committed deployment files', () => {
  it.each(DEPLOYMENT_FILES)('%s holds nothing shaped like a real credential', (file) => {
    expect(realLookingSecrets(readRepoFile(file))).toEqual([]);
  });

  it.each(DEPLOYMENT_FILES.filter((file) => file.endsWith('.json')))(
    '%s takes its key-manager key from the environment',
    (file) => {
      expect(kickstartKeyManagerEnv(readRepoFile(file), file).length).toBeGreaterThan(0);
    },
  );

  it('flags what a real credential looks like', () => {
    expect(realLookingSecrets('PORTCULLIS_API_KEY: 9fQ2xLr8TzWb4KpN7sVd1HcYe6MuJa3G')).toHaveLength(
      1,
    );
    expect(realLookingSecrets('-----BEGIN RSA PRIVATE KEY-----')).toHaveLength(1);
    expect(realLookingSecrets('PORTCULLIS_API_KEY: REPLACE_ME')).toEqual([]);
  });
});
