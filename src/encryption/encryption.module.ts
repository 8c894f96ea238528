import { Global, Logger, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ValueCipher } from './value-cipher';

const logger = new Logger('Encryption');

/**
 * The embedded default keeps its secret beside its database: `<database file>.secret`,
 * made on first boot (mode 0600) and read after that. Whoever can read the database file
 * can read the secret file too, so this protects copies of the database alone (a backup,
 * a file sent for support); a server deployment sets `KEY_ENCRYPTION_SECRET`.
 */
function embeddedSecret(databasePath: string): string {
  if (databasePath === ':memory:') return randomBytes(32).toString('base64url');
  const path = `${databasePath}.secret`;
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    logger.log(`created the key encryption secret at ${path}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((statSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      logger.warn(`${path} was readable by others; it is now 0600`);
    }
  }
  return readFileSync(path, 'utf8').trim();
}

function cipherFor(config: AppConfig): ValueCipher {
  if (config.keyEncryptionSecrets.length > 0) return new ValueCipher(config.keyEncryptionSecrets);
  if (config.database.dialect === 'sqlite')
    return new ValueCipher([embeddedSecret(config.database.path)]);
  logger.warn(
    'KEY_ENCRYPTION_SECRET is not set: retrievable API keys cannot be created, and keys stored in plaintext stay so',
  );
  return new ValueCipher([]);
}

/** The one cipher for values kept at rest, chosen once from configuration. */
@Global()
@Module({
  providers: [{ provide: ValueCipher, useFactory: cipherFor, inject: [APP_CONFIG] }],
  exports: [ValueCipher],
})
export class EncryptionModule {}
