import { Module } from '@nestjs/common';
import { ApiKeyModule } from '../api-key/api-key.module';
import { KickstartRepository } from './kickstart.repository';
import { KickstartService } from './kickstart.service';

@Module({
  imports: [ApiKeyModule],
  providers: [KickstartService, KickstartRepository],
  exports: [KickstartService],
})
export class KickstartModule {}
