// `npm run build` (and `npm start` before it serves): src/ → dist/ as plain JavaScript, one file per
// module, with the non-TypeScript files beside them (locales…). The server then runs under plain
// `node`: tsx's loader thread and compiler cost about 90 MB of the idle process (BENCHMARKS.md).
// dist/ (and the staging folder) sit beside src/ at the same depth, so paths that leave src/ (../../prisma/migrations)
// resolve alike from both. esbuild transpiles only; `tsc --noEmit` in `npm test` checks the types.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'src');
const output = path.join(root, 'dist');
// Built beside it, then swapped in by renames: a server still running from dist/ (a second
// `npm start`, the tests) never sees it half written.
const staging = path.join(root, `.dist-${process.pid}`);
const retired = path.join(root, `.dist-old-${process.pid}`);

const files = readdirSync(source, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.join(entry.parentPath, entry.name));
// TypeScript in a browser/ folder is not server code: the server compiles it for the browser when
// it serves it (the dev simulator), so it is copied as it is, like the other assets.
const isServerModule = (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.split(path.sep).includes('browser');
const modules = files.filter(isServerModule);

rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints: modules,
  outdir: staging,
  outbase: source,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
for (const file of files.filter((name) => !isServerModule(name))) {
  const target = path.join(staging, path.relative(source, file));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
}
if (existsSync(output)) renameSync(output, retired);
renameSync(staging, output);
rmSync(retired, { recursive: true, force: true });
