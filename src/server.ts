import type { LineBotClient } from '@line/bot-sdk';
import { createServer, type Server } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { createBot } from './bot/bot.js';
import type { Config } from './config.js';
import { createMachine } from './bot/capabilities.js';
import { eventHandlers } from './bot/event-handlers.js';
import { scheduleReconciliation } from './payments/reconcile/reconcile-handlers.js';
import { EventWorker, type EventWorkerOptions } from './events/event-worker.js';
import { stepContextSql } from './bot/step-store.js';
import { openDatabase, type Database } from './db/database.js';
import { createApp } from './http/app.js';
import { lineWebhookRouter } from './http/line-webhook.js';
import { InboxWorker, type WorkerOptions } from './inbox/worker.js';
import { startBuyerDataEraser } from './payments/buyer-data-retention.js';
import { createLineClient } from './line/line-client.js';
import { LineApiStub } from './line/line-api-stub.js';
import type { Logger } from './logger.js';
import { featureRoutes } from './http/route-list.js';
import { metricsRouter } from './http/metrics-route.js';
import { createMetrics, observeApiCalls, type Metrics } from './metrics.js';

export interface RunningServer {
  /** An origin this process reaches the server at (loopback unless HOST names one address). */
  url: string;
  /** Where the server listens (HOST, or every interface). */
  address: AddressInfo;
  config: Config;
  db: Database;
  line: LineBotClient;
  worker: InboxWorker;
  /** Runs the domain events (payment facts → the capabilities' handlers). */
  events: EventWorker;
  metrics: Metrics;
  /** The in-process LINE API stub (local mode only). */
  lineStub: LineApiStub | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** An already-open database (tests share one); otherwise opened from config and closed on stop. */
  db?: Database;
  worker?: WorkerOptions;
  events?: EventWorkerOptions;
}

const REQUEST_DRAIN_MS = 1_500;
function originOf({ address, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return `http://${isIPv6(address) ? `[${address}]` : address}:${port}`;
}

/**
 * Composition root: database → LINE client → bot → HTTP. Applies migrations before serving.
 * `stop()` stops accepting, lets in-flight requests and events finish, then closes the database.
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const applied = await db.migrate();
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  let lineStub: LineApiStub | undefined;
  let lineConfig = config.line;
  if (config.line.stubbed) {
    // Local mode answers LINE API calls from an in-process stub on loopback: the SDK takes
    // bare origins only, so it gets its own port rather than a path under ours.
    lineStub = new LineApiStub({ channelAccessToken: config.line.channelAccessToken });
    const origin = await lineStub.listen();
    lineConfig = { ...config.line, apiBaseUrl: origin, dataApiBaseUrl: origin };
  }
  const effectiveConfig: Config = { ...config, line: lineConfig };
  const line = createLineClient(lineConfig);

  const metrics = createMetrics();
  const stopObserving = observeApiCalls(
    metrics,
    new Map([
      [lineConfig.apiBaseUrl, 'line'],
      [lineConfig.dataApiBaseUrl, 'line'],
      [config.komojuApiBaseUrl, 'komoju'],
    ]),
  );
  const bot = createBot({ db, line, config: effectiveConfig, log, machine: createMachine() });
  const worker = new InboxWorker(db, bot.processEvent, bot.parkEvent, log.child({ component: 'inbox' }), metrics, { context: stepContextSql, ...options.worker });
  const events = new EventWorker(db, eventHandlers, { prisma: db.prisma, line, config: effectiveConfig, log: log.child({ component: 'events' }), now: () => new Date() }, metrics, {
    leaseMs: config.domainEventLeaseMs,
    ...options.events,
  });

  // Before listening: once the server answers, the caller (main.ts) must get control back at once
  // to install its signal handlers.
  await scheduleReconciliation(db.prisma, new Date());

  let shuttingDown = false;
  const app = createApp({
    db,
    log,
    isShuttingDown: () => shuttingDown,
    isWorkerStalled: () => worker.stalled() || events.stalled(),
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    routers: [
      lineWebhookRouter({ db, channelSecret: config.line.channelSecret, log, metrics, worker }),
      metricsRouter({ metrics, db, log, token: config.metricsToken }),
      ...featureRoutes.map((factory) => factory({ db, config: effectiveConfig, line, log, lineStub, metrics })),
    ],
  });

  const server: Server = createServer(app);
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  // The embedded database is this process's alone: the admin CLI sends its commands here. Loaded
  // only then, after listening: the CLI's commands (the rich menu's fonts among them) are not small.
  const cliEndpoint = !options.db && db.kind === 'pglite' ? await (await import('./cli/cli-endpoint.js')).serveCliCommands({ config: effectiveConfig, db, log }) : undefined;
  worker.start();
  events.start();
  const stopEraser = startBuyerDataEraser(db.prisma, config.buyerDataRetentionDays, log.child({ component: 'buyer-data' }));

  return {
    url: originOf(address),
    address,
    config: effectiveConfig,
    db,
    line,
    worker,
    events,
    metrics,
    lineStub,
    async stop() {
      shuttingDown = true;
      await cliEndpoint?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests finish quickly (a webhook's store has a 1.5 s deadline); nothing is left to hang on.
        setTimeout(() => server.closeAllConnections(), REQUEST_DRAIN_MS).unref();
      });
      await Promise.all([worker.stop(), events.stop()]);
      stopEraser();
      stopObserving();
      await lineStub?.close();
      if (!options.db) await db.close();
    },
  };
}
