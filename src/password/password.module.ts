import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from './password.hasher';
import { PasswordPolicy } from './password.policy';
import { PasswordRepository } from './password.repository';

/** Global: the User and Registration APIs set passwords under the same policy. */
@Global()
@Module({
  providers: [PasswordHasher, PasswordRepository, PasswordPolicy],
  exports: [PasswordHasher, PasswordPolicy],
})
export class PasswordModule {}
