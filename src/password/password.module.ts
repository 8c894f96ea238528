import { Global, Module } from '@nestjs/common';
import { PasswordCheck } from './password.check';
import { PasswordController } from './password.controller';
import { PasswordHasher } from './password.hasher';
import { PasswordPolicy } from './password.policy';
import { PasswordRepository } from './password.repository';
import { PasswordService } from './password.service';

/** Global: the User and Registration APIs set passwords under the same policy. */
@Global()
@Module({
  controllers: [PasswordController],
  providers: [PasswordHasher, PasswordCheck, PasswordRepository, PasswordPolicy, PasswordService],
  exports: [PasswordHasher, PasswordCheck, PasswordPolicy, PasswordService],
})
export class PasswordModule {}
