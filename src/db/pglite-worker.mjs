// @ts-check
// The embedded PostgreSQL on a thread of its own (started by pglite-thread.ts): its WASM and its
// file system calls no longer take turns with HTTP and the bot on the server's one JS thread.
// Plain JavaScript (JSDoc types, checked by tsc): a worker's entry module does not go through a
// TypeScript loader, and loading one in each thread cost more than PGlite itself.
import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';

/** @typedef {import('@electric-sql/pglite').Results} Results */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */
/** @typedef {import('./pglite-thread.js').PgliteRequest} PgliteRequest */
/** @typedef {import('./pglite-thread.js').PgliteReply} PgliteReply */
/** @typedef {import('./pglite-thread.js').SentError} SentError */
/** @typedef {import('./pglite-thread.js').SentResults} SentResults */

/**
 * @typedef {object} OpenTransaction
 * @property {Transaction} tx
 * @property {(commit: boolean) => void} finish The main thread's decision: commit (true) or roll back (false).
 * @property {Promise<void>} done Settles once PGlite has committed or rolled back.
 * @property {Promise<void>} rolledBack An explicit ROLLBACK the main thread sent; the callback waits for it before it returns.
 */

const port = parentPort;
if (!port) throw new Error('pglite-worker.mjs runs only as a worker thread');

/** The main thread's parsers are functions, which cannot cross: their types come back as PostgreSQL's text. */
const keepText = (/** @type {string} */ text) => text;

/** Thrown inside PGlite's transaction callback so that PGlite rolls it back. */
const ROLL_BACK = new Error('rolled back by the main thread');

// A closed PGlite's WASM memory (and the one initdb used to create a data directory, ~400 MB) is
// returned only when V8 collects it, and this thread allocates too little JS for V8 to collect on
// its own: a new embedded server stayed at 750 MB RSS instead of 330. So the thread collects after
// initdb and after each close; the flag only exposes gc() to the context made here.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = /** @type {() => void} */ (vm.runInNewContext('gc'));

async function releaseMemory() {
  collectGarbage();
  // The first collection frees what only finalizers held; their memory goes in the next one.
  await nextTurn();
  collectGarbage();
}

/** @type {Map<number, PGlite>} */
const databases = new Map();
let lastDatabase = 0;
/** @type {Map<number, OpenTransaction>} */
const transactions = new Map();
let lastTransaction = 0;

/** @returns {SentResults} */
function sent(/** @type {Results} */ result) {
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

/** @returns {SentError} */
function describe(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', database: false, fields: {} };
  // PostgreSQL's fields (code, detail, constraint…) are strings; PGlite also hangs the query's
  // options on the error, whose parsers are functions and cannot be cloned.
  /** @type {Record<string, string | number | boolean>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { message: error.message, name: error.name, stack: error.stack, database: error instanceof messages.DatabaseError, fields };
}

function database(/** @type {number} */ id) {
  const found = databases.get(id);
  if (!found) throw new Error(`no open database ${id}`);
  return found;
}

function openTransaction(/** @type {number} */ id) {
  const found = transactions.get(id);
  if (!found) throw new Error(`no open transaction ${id}`);
  return found;
}

/** @returns {Promise<number>} */
async function open(/** @type {string | undefined} */ dataDir, /** @type {string[]} */ startParams) {
  // A new data directory (or an in-memory database) is made by initdb, in a PGlite of its own.
  const created = dataDir === undefined || !existsSync(`${dataDir}/PG_VERSION`);
  // PGlite compiles its WASM on the first open and keeps the module for the next ones.
  const db = new PGlite({ dataDir, startParams: [...PGlite.defaultStartParams, ...startParams] });
  await db.waitReady;
  const id = ++lastDatabase;
  databases.set(id, db);
  if (created) await releaseMemory();
  return id;
}

/** @returns {Promise<number>} */
function begin(/** @type {PGlite} */ db) {
  return new Promise((resolve, reject) => {
    const id = ++lastTransaction;
    /** @type {(commit: boolean) => void} */
    let finish = () => undefined;
    /** @type {Promise<boolean>} */
    const decided = new Promise((decide) => {
      finish = decide;
    });
    /** @type {Promise<void>} */
    const done = db
      .transaction(async (tx) => {
        /** @type {OpenTransaction} */
        const open = { tx, finish, done, rolledBack: Promise.resolve() };
        transactions.set(id, open);
        resolve(id);
        const commit = await decided;
        await open.rolledBack.catch(() => undefined);
        if (!commit) throw ROLL_BACK;
      })
      .then(
        () => undefined,
        (/** @type {unknown} */ error) => {
          if (error !== ROLL_BACK) throw error;
        },
      );
    // BEGIN failed: the request fails. Later failures (COMMIT) reach the request that ends it.
    done.catch(reject);
  });
}

/** @returns {Promise<unknown>} */
async function run(/** @type {PgliteRequest} */ request) {
  switch (request.op) {
    case 'open':
      return open(request.dataDir, request.startParams);
    case 'query': {
      const target = request.tx === undefined ? database(request.db) : openTransaction(request.tx).tx;
      const parsers = request.textTypes && Object.fromEntries(request.textTypes.map((type) => [type, keepText]));
      return sent(await target.query(request.text, request.params, { rowMode: request.rowMode, parsers }));
    }
    case 'exec': {
      const target = request.tx === undefined ? database(request.db) : openTransaction(request.tx).tx;
      return (await target.exec(request.text)).map(sent);
    }
    case 'begin':
      return begin(database(request.db));
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
    case 'close': {
      const db = database(request.db);
      databases.delete(request.db);
      if (!db.closed) await db.close();
      await releaseMemory();
      return undefined;
    }
  }
}

port.on('message', (/** @type {PgliteRequest} */ request) => {
  run(request).then(
    (value) => port.postMessage(/** @type {PgliteReply} */ ({ id: request.id, ok: true, value })),
    (error) => port.postMessage(/** @type {PgliteReply} */ ({ id: request.id, ok: false, error: describe(error) })),
  );
});
