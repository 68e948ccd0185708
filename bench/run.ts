// `npm run bench [-- ledger | webhook | checkout] [flags]`: which benchmark to run (BENCHMARKS.md describes each).
const which = process.argv[2];
if (which === 'webhook') await import('./webhook.js');
else if (which === 'checkout') await import('./checkout.js');
else if (which === undefined || which === 'ledger' || which.startsWith('--')) await import('./ledger.js');
else {
  process.stderr.write(`unknown benchmark "${which}": use ledger (the default), webhook or checkout\n`);
  process.exit(1);
}
