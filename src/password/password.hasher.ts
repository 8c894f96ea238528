import { Injectable } from '@nestjs/common';
import { hash, verify, argon2id } from 'argon2';

/**
 * Passwords, with argon2id (the `argon2` package, a binding to the reference
 * implementation): memory-hard, the current recommendation for password storage.
 * Cost: OWASP's baseline, 19 MiB, two passes, one lane.
 */
@Injectable()
export class PasswordHasher {
  static readonly options = {
    type: argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  } as const;
  static readonly minimumLength = 8;

  hash(password: string): Promise<string> {
    return hash(password, PasswordHasher.options);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}
