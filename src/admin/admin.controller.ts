import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Public, PUBLIC_POLICY, ROUTE_POLICY } from '../auth/route-policy.decorator';
import { AdminAsset, AdminAssets } from './admin.assets';
import { adminEndpoints } from './admin.endpoints';
import { ADMIN_HEADERS } from './admin.headers';
import { JSON_CONTENT_TYPE } from '../common/media-type';

/**
 * The admin console (a Portcullis extension): a static page and its bundles, and the
 * permission table it draws the matrix from. None of it needs a credential; everything the
 * page shows it fetches through the API with the key its user signs in with.
 */
@Controller('admin')
export class AdminController {
  constructor(private readonly assets: AdminAssets) {}

  @Get()
  @Public()
  page(@Res() reply: FastifyReply): void {
    send(reply, this.assets.get(''));
  }

  @Get('endpoints.json')
  @Public()
  endpoints(@Res() reply: FastifyReply): void {
    const body = Buffer.from(JSON.stringify(adminEndpoints()));
    send(reply, { body, type: JSON_CONTENT_TYPE, cacheControl: 'no-cache' });
  }

  @Get('assets/:file')
  @Public()
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    send(reply, this.assets.get(file));
  }
}

function send(reply: FastifyReply, asset: AdminAsset | null): void {
  void reply.headers(ADMIN_HEADERS);
  if (asset === null) {
    void reply.code(404).header('cache-control', 'no-store').send();
    return;
  }
  void reply.type(asset.type).header('cache-control', asset.cacheControl).send(asset.body);
}

/** `/admin/` answers too: Nest drops a route's trailing slash, so Fastify serves this redirect. */
export function registerAdminRedirect(fastify: FastifyInstance): void {
  fastify.get('/admin/', { config: { [ROUTE_POLICY]: PUBLIC_POLICY } }, (_request, reply) => {
    void reply.headers(ADMIN_HEADERS).header('cache-control', 'no-cache').redirect('/admin', 301);
  });
}
