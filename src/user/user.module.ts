import { Global, Module } from '@nestjs/common';
import { PasswordCheck } from '../password/password.check';
import { PasswordHasher } from '../password/password.hasher';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

@Global()
@Module({
  controllers: [UserController],
  providers: [PasswordHasher, PasswordCheck, UserRepository, UserService],
  exports: [PasswordHasher, PasswordCheck, UserRepository, UserService],
})
export class UserModule {}
