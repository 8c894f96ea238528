import { Module } from '@nestjs/common';
import { ApiKeyModule } from '../api-key/api-key.module';
import { KickstartService } from './kickstart.service';

@Module({ imports: [ApiKeyModule], providers: [KickstartService], exports: [KickstartService] })
export class KickstartModule {}
