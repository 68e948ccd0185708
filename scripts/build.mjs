// `npm run build` (and `npm start` before it serves): src/ → dist/ as plain JavaScript, one file per
// module, with the non-TypeScript files beside them (locales…). The server then runs under plain
// `node`: tsx's loader thread and compiler cost about 90 MB of the idle process (BENCHMARKS.md).
// dist/ sits beside src/ at the same depth, so paths that leave src/ (../../prisma/migrations)
// resolve alike from both. esbuild transpiles only; `tsc --noEmit` in `npm test` checks the types.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'src');
const output = path.join(root, 'dist');

const files = readdirSync(source, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.join(entry.parentPath, entry.name));
const modules = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

rmSync(output, { recursive: true, force: true });
await build({
  entryPoints: modules,
  outdir: output,
  outbase: source,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
for (const file of files.filter((name) => !name.endsWith('.ts'))) {
  const target = path.join(output, path.relative(source, file));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
}
