// Builds the map script and the styles into dist/assets with content-hashed
// names, writes dist/manifest.json (logical name -> file) for the Go server,
// and keeps a gzip and a brotli copy of each asset so that the server sends
// them compressed without compressing on every request.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('./dist/', import.meta.url).pathname;
const out = join(dist, 'assets');
for (const name of await readdir(dist)) {
  if (name !== 'README.md') await rm(join(dist, name), { recursive: true, force: true });
}
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { app: 'src/app.ts', 'app-style': 'src/app.css' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'none',
  // Leaflet's stylesheet names images of controls this site does not use.
  external: ['*.png'],
  logLevel: 'warning',
});

const manifest = {};
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  const name = basename(file);
  if (meta.entryPoint === 'src/app.ts') manifest['app.js'] = 'assets/' + name;
  if (meta.entryPoint === 'src/app.css') manifest['app.css'] = 'assets/' + name;
}

// The icon is copied as it is, under a hashed name.
const icon = await readFile('src/icon.svg');
const iconName = `icon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
await writeFile(join(out, iconName), icon);
manifest['icon.svg'] = 'assets/' + iconName;

for (const key of ['app.js', 'app.css', 'icon.svg']) {
  if (!manifest[key]) throw new Error(`build: no output for ${key}`);
}

let sizes = [];
for (const name of await readdir(out)) {
  if (!['.js', '.css', '.svg'].includes(extname(name))) continue;
  const body = await readFile(join(out, name));
  const gz = gzipSync(body, { level: 9 });
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  await writeFile(join(out, name + '.gz'), gz);
  await writeFile(join(out, name + '.br'), br);
  sizes.push(`${name}: ${body.length} B, br ${br.length} B`);
}
await writeFile(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log('frontend built:\n  ' + sizes.join('\n  '));
