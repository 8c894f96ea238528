// Bundles the admin console into dist/public/admin (run by `npm run build`): one script and
// one stylesheet with content hashes in their names, and the page that names them.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'public', 'admin');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: {
    console: join(here, 'src', 'main.ts'),
    'console-style': join(here, 'console.css'),
  },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const js = outputs.find((file) => file.endsWith('.js'));
const css = outputs.find((file) => file.endsWith('.css'));
const page = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('%JS%', js)
  .replace('%CSS%', css);
writeFileSync(join(out, 'index.html'), page);
console.log(`admin console: ${outputs.join(', ')}`);
