import type { LineBotClient } from '@line/bot-sdk';
import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { LineApiStub } from '../line/line-api-stub.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** What every feature's routes may use. */
interface RouteDeps {
  db: Database;
  config: Config;
  line: LineBotClient;
  log: Logger;
  /** The in-process LINE API stub behind the simulator (local mode only). */
  lineStub: LineApiStub | undefined;
  /** The server's /metrics counters (absent where routes are mounted without a server, e.g. a bare test app). */
  metrics?: Metrics;
}

export type RouteFactory = (deps: RouteDeps) => Router;
