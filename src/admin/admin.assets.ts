import { Injectable, Logger } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Where `npm run build` puts the bundled page: the same place from `src/admin` (tests) and `dist/admin`. */
export const ADMIN_BUILD_DIR = join(__dirname, '..', '..', 'dist', 'public', 'admin');

export interface AdminAsset {
  body: Buffer;
  type: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page's files, read once at boot from the build. Bundles carry a content hash in their
 * names, so they may be kept for a year; the page itself is revalidated on every load.
 */
@Injectable()
export class AdminAssets {
  private readonly files = new Map<string, AdminAsset>();

  constructor() {
    this.load(ADMIN_BUILD_DIR);
  }

  load(dir: string): void {
    this.files.clear();
    if (!existsSync(dir)) {
      new Logger('AdminAssets').warn(`the admin console is not built (${dir}); /admin answers 404`);
      return;
    }
    const index = join(dir, 'index.html');
    if (existsSync(index)) this.files.set('', this.read(index, 'no-cache'));
    const assets = join(dir, 'assets');
    if (!existsSync(assets)) return;
    for (const name of readdirSync(assets)) {
      if (TYPES[extname(name)] === undefined) continue;
      this.files.set(name, this.read(join(assets, name), 'public, max-age=31536000, immutable'));
    }
  }

  /** The page (`''`) or a bundle by its file name; null for anything else. */
  get(name: string): AdminAsset | null {
    return this.files.get(name) ?? null;
  }

  private read(path: string, cacheControl: string): AdminAsset {
    return { body: readFileSync(path), type: TYPES[extname(path)], cacheControl };
  }
}
