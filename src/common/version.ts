import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json (src/common and dist/common both sit two levels below it). */
export const VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
