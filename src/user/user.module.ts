import { Global, Module } from '@nestjs/common';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserReader } from './user.reader';
import { UserService } from './user.service';

@Global()
@Module({
  controllers: [UserController],
  providers: [UserRepository, UserReader, UserService],
  exports: [UserRepository, UserService],
})
export class UserModule {}
