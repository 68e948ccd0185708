// `npm test`'s static checks before vitest, two at a time on the two cores instead of one after
// another: ESLint (type-aware, the longest: ~40 s on a quiet CI machine) in one lane, the type
// checks, the format check and knip in the other. Each check's output is printed whole when it
// ends; the first one to fail stops the others and fails the run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'node_modules', '.bin');

// The longest first: the lane that takes it stays busy while the other runs the rest in this order.
const checks = [['eslint', '.'], ['tsc', '--noEmit'], ['tsc', '--noEmit', '-p', 'src/http/dev-simulator'], ['biome', 'format'], ['knip']];
const LANES = 2;

const running = new Set();
let failed = false;

function run([command, ...args]) {
  const label = [command, ...args].join(' ');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(bin, command), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => {
      running.delete(child);
      if (signal !== null && failed) return resolve();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`> ${label} (${code === 0 ? 'ok' : `failed, exit ${code ?? signal}`}, ${seconds} s)\n${output}`);
      if (code !== 0 && !failed) {
        failed = true;
        for (const other of running) other.kill('SIGTERM');
      }
      resolve();
    });
  });
}

const queue = [...checks];
async function lane() {
  while (queue.length > 0 && !failed) await run(queue.shift());
}
await Promise.all(Array.from({ length: LANES }, lane));
process.exitCode = failed ? 1 : 0;
