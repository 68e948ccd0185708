// The embedded PostgreSQL on a thread of its own (started by pglite-thread.ts): its WASM and its
// file system calls no longer take turns with HTTP and the bot on the server's one JS thread.
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, PgliteWorkerData, SentError, SentResults } from './pglite-thread.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs only as a worker thread');
const options = workerData as PgliteWorkerData;

/** The main thread's parsers are functions, which cannot cross: their types come back as PostgreSQL's text. */
const keepText = (text: string) => text;

/** Thrown inside PGlite's transaction callback so that PGlite rolls it back. */
const ROLL_BACK = new Error('rolled back by the main thread');

interface OpenTransaction {
  tx: Transaction;
  /** The main thread's decision: commit (true) or roll back (false). */
  finish: (commit: boolean) => void;
  /** Settles once PGlite has committed or rolled back. */
  done: Promise<void>;
  /** An explicit ROLLBACK the main thread sent; the callback waits for it before it returns. */
  rolledBack: Promise<void>;
}

const transactions = new Map<number, OpenTransaction>();
let lastTransaction = 0;

function sent(result: Results): SentResults {
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

function describe(error: unknown): SentError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', database: false, fields: {} };
  // PostgreSQL's fields (code, detail, constraint…) are strings; PGlite also hangs the query's
  // options on the error, whose parsers are functions and cannot be cloned.
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { message: error.message, name: error.name, stack: error.stack, database: error instanceof messages.DatabaseError, fields };
}

function openTransaction(id: number): OpenTransaction {
  const found = transactions.get(id);
  if (!found) throw new Error(`no open transaction ${id}`);
  return found;
}

function begin(db: PGlite): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const id = ++lastTransaction;
    let finish: (commit: boolean) => void = () => undefined;
    const decided = new Promise<boolean>((decide) => {
      finish = decide;
    });
    const done = db
      .transaction(async (tx) => {
        const open: OpenTransaction = { tx, finish, done, rolledBack: Promise.resolve() };
        transactions.set(id, open);
        resolve(id);
        const commit = await decided;
        await open.rolledBack.catch(() => undefined);
        if (!commit) throw ROLL_BACK;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error !== ROLL_BACK) throw error;
        },
      );
    // BEGIN failed: the request fails. Later failures (COMMIT) reach the request that ends it.
    done.catch(reject);
  });
}

async function run(db: PGlite, request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const target = request.tx === undefined ? db : openTransaction(request.tx).tx;
      const parsers = request.textTypes && Object.fromEntries(request.textTypes.map((type) => [type, keepText]));
      return sent(await target.query(request.text, request.params, { rowMode: request.rowMode, parsers }));
    }
    case 'exec': {
      const target = request.tx === undefined ? db : openTransaction(request.tx).tx;
      return (await target.exec(request.text)).map(sent);
    }
    case 'begin':
      return begin(db);
    case 'rollback': {
      const open = openTransaction(request.tx);
      open.rolledBack = open.tx.rollback();
      return open.rolledBack;
    }
    case 'end': {
      const open = openTransaction(request.tx);
      transactions.delete(request.tx);
      open.finish(request.commit);
      return open.done;
    }
    case 'close':
      if (!db.closed) await db.close();
      return undefined;
  }
}

function reply(message: PgliteReply): void {
  port?.postMessage(message);
}

const db = new PGlite({ dataDir: options.dataDir, startParams: [...PGlite.defaultStartParams, ...options.startParams] });
port.on('message', (request: PgliteRequest) => {
  run(db, request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error: unknown) => reply({ id: request.id, ok: false, error: describe(error) }),
  );
});
db.waitReady.then(
  () => reply({ id: 0, ok: true, value: undefined }),
  (error: unknown) => reply({ id: 0, ok: false, error: describe(error) }),
);
