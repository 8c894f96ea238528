import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from '../password/password.hasher';

@Global()
@Module({
  providers: [PasswordHasher],
  exports: [PasswordHasher],
})
export class UserModule {}
