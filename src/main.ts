import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();
  let running;
  try {
    running = await startServer(config, { log });
  } catch (error) {
    if (error instanceof DataDirInUseError || error instanceof MigrationError) {
      log.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  log.info(
    {
      port: config.port,
      publicBaseUrl: config.publicBaseUrl,
      database: running.db.kind,
      localMode: config.localMode,
      payments: config.komoju ? 'komoju' : 'sandbox',
      startupMs: Date.now() - started,
    },
    config.localMode ? `local mode: open ${config.publicBaseUrl}/dev/ to chat with the bot` : 'serving',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    // Every step of stop() is bounded (requests 1.5 s, events 1.5 s, database 2 s); this is the backstop,
    // so a process manager's stop never waits on a dead network.
    const force = setTimeout(() => {
      log.error('shutdown took longer than 4.5 s; exiting');
      process.exit(1);
    }, 4_500);
    force.unref();
    running.stop().then(
      () => {
        log.info('stopped');
        process.exit(process.exitCode ?? 0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A rejection nobody handled means state we did not plan for: say what it was, then stop cleanly.
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection');
    process.exitCode = 1;
    shutdown('unhandledRejection');
  });
}

await main();
