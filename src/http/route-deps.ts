import type { LineBotClient } from '@line/bot-sdk';
import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { LineApiStub } from '../line/line-api-stub.js';
import type { Logger } from '../logger.js';

/** What every feature's routes may use. */
interface RouteDeps {
  db: Database;
  config: Config;
  line: LineBotClient;
  log: Logger;
  /** The in-process LINE API stub behind the simulator (local mode only). */
  lineStub: LineApiStub | undefined;
}

export type RouteFactory = (deps: RouteDeps) => Router;
