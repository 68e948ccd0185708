// The embedded database belongs to one process. While `npm start` holds it, the admin CLI hands
// its command to that server instead: the server listens on a loopback port of its own and writes
// the port and a random token into DATA_DIR (readable by its owner only); the CLI reads them and
// posts the command, which runs in the server's process exactly as the CLI would run it.
//
// Chosen over serving PGlite itself on a socket (@electric-sql/pglite-socket): that package pins
// an older PGlite than ours, and its queue only orders its own clients, so a CLI statement sent
// while the server's own transaction was open ran inside it and was rolled back with it (tried).
import express from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Config } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { openDatabase, type Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { adminCommands } from './command-list.js';
import { failure, runCommand, type CommandOutcome } from './run-command.js';

const ENDPOINT_FILE = 'cli-endpoint.json';

const endpointSchema = z.object({ pid: z.number().int(), port: z.number().int(), token: z.string().min(32) });
type Endpoint = z.infer<typeof endpointSchema>;

const requestSchema = z.object({
  command: z.string().max(100),
  flags: z.array(z.tuple([z.string().max(100), z.union([z.string().max(10_000), z.literal(true)])])).max(50),
  stdin: z.string().max(10_000),
});
export type RemoteCommand = z.infer<typeof requestSchema>;

const outcomeSchema = z.object({ ok: z.boolean(), json: z.record(z.string(), z.unknown()), text: z.string(), exitCode: z.number().int() });

export interface CliEndpoint {
  close(): Promise<void>;
}

/** Serves CLI commands on 127.0.0.1 for the process that holds the embedded database in `dataDir`. */
export async function serveCliCommands(deps: { config: Config; db: Database; log: Logger }): Promise<CliEndpoint> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const log = deps.log.child({ component: 'cli-endpoint' });
  const app = express();
  app.disable('x-powered-by');
  app.post('/cli', express.json({ limit: '64kb' }), async (req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ error: 'bad token' });
      return;
    }
    const parsed = requestSchema.safeParse(req.body);
    if (!parsed.success) {
      res.json(failure('the server could not read the command', 2));
      return;
    }
    const command = adminCommands.find((candidate) => candidate.name === parsed.data.command);
    if (!command) {
      res.json(failure(`unknown command "${parsed.data.command}"`, 2));
      return;
    }
    // The command name only: flags and stdin may hold secrets.
    log.info({ command: command.name }, 'admin CLI command');
    const outcome = await runCommand(command, {
      config: deps.config,
      db: deps.db,
      log,
      flags: new Map(parsed.data.flags),
      stdin: Readable.from([parsed.data.stdin]),
    });
    if (!outcome.ok && outcome.text.startsWith('unexpected error')) log.error({ command: command.name, error: outcome.text }, 'admin CLI command failed');
    res.json(outcome);
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const file = path.join(deps.config.dataDir, ENDPOINT_FILE);
  const endpoint: Endpoint = { pid: process.pid, port: (server.address() as AddressInfo).port, token };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
  renameSync(temporary, file);

  return {
    async close() {
      if (readEndpoint(deps.config.dataDir)?.token === token) rmSync(file, { force: true });
      // A command already running finishes and is answered; nothing new is accepted.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

function readEndpoint(dataDir: string): Endpoint | undefined {
  try {
    const parsed = endpointSchema.safeParse(JSON.parse(readFileSync(path.join(dataDir, ENDPOINT_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CLI's way to the database: its own connection, or the server process that holds the
 * embedded database. A process that holds it without serving commands (one still starting, or
 * another CLI run) is waited for, up to `waitMs`.
 */
export async function openDatabaseOrServer(config: Config, waitMs = 60_000): Promise<{ db: Database } | { server: Endpoint }> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      return { db: await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) };
    } catch (error) {
      if (!(error instanceof DataDirInUseError) || error.ownerPid === undefined) throw error;
      const endpoint = readEndpoint(config.dataDir);
      if (endpoint?.pid === error.ownerPid) return { server: endpoint };
      if (Date.now() > deadline) throw error;
      if (!told) process.stderr.write(`waiting for process ${error.ownerPid}, which holds the embedded database (a server still starting?)…\n`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Runs the command in the server process that holds the embedded database. */
export async function runInServer(server: Endpoint, request: RemoteCommand): Promise<CommandOutcome> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${server.port}/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(request),
    });
  } catch (error) {
    return failure(`the running server (process ${server.pid}) did not answer: ${(error as Error).message}`, 1);
  }
  const outcome = response.ok ? outcomeSchema.safeParse(await response.json().catch(() => undefined)) : undefined;
  if (!outcome?.success) return failure(`the running server (process ${server.pid}) refused the command (HTTP ${response.status})`, 1);
  return outcome.data;
}
