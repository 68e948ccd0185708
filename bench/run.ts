// `npm run bench [-- ledger | webhook] [flags]`: which benchmark to run (BENCHMARKS.md describes both).
const which = process.argv[2];
if (which === 'webhook') await import('./webhook.js');
else if (which === undefined || which === 'ledger' || which.startsWith('--')) await import('./ledger.js');
else {
  process.stderr.write(`unknown benchmark "${which}": use ledger (the default) or webhook\n`);
  process.exit(1);
}
