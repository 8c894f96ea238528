import { Module } from '@nestjs/common';
import { AdminAssets } from './admin.assets';
import { AdminController } from './admin.controller';

@Module({ controllers: [AdminController], providers: [AdminAssets] })
export class AdminModule {}
