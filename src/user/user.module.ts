import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from '../password/password.hasher';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

@Global()
@Module({
  controllers: [UserController],
  providers: [PasswordHasher, UserRepository, UserService],
  exports: [PasswordHasher, UserRepository, UserService],
})
export class UserModule {}
