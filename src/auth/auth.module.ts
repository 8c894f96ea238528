import { Module } from '@nestjs/common';
import { Authenticator } from './authenticator';

@Module({
  providers: [Authenticator],
  exports: [Authenticator],
})
export class AuthModule {}
