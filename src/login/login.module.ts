import { Module } from '@nestjs/common';
import { LoginController } from './login.controller';
import { LoginFailures } from './login.failures';
import { LoginService } from './login.service';
import { LoginSessions } from './login.session';

@Module({
  controllers: [LoginController],
  providers: [LoginService, LoginSessions, LoginFailures],
})
export class LoginModule {}
