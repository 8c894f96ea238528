import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PasswordHasher } from './password.hasher';
import { MAX_PASSWORD_LENGTH } from './password.rules';
import { UserEntity } from '../user/user.entity';

/**
 * Whether a password is a user's, at the same cost whether or not the user exists or has a
 * password: an unknown login id is checked against a stand-in hash made with the same
 * parameters, so the answer's timing does not tell a caller which login ids exist.
 */
@Injectable()
export class PasswordCheck {
  private standIn: Promise<string> | null = null;

  constructor(private readonly hasher: PasswordHasher) {}

  async matches(user: UserEntity | null, password: string): Promise<boolean> {
    // Longer than any password may be: it cannot match, and is not worth an argon2 run.
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    const stored = user?.passwordHash ?? null;
    if (stored === null) {
      await this.hasher.verify(await this.standInHash(), password);
      return false;
    }
    return this.hasher.verify(stored, password);
  }

  private standInHash(): Promise<string> {
    this.standIn ??= this.hasher.hash(randomBytes(32).toString('base64url'));
    return this.standIn;
  }
}
