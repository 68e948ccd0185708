// PGlite runs PostgreSQL in WASM: on the server's one JS thread it took two thirds of the CPU of
// each webhook event, and HTTP waited for it (issue 26). It runs on a worker thread instead
// (pglite-worker.mjs); this object stands in for the PGlite instance on the main thread, with the
// methods pglite-prisma-adapter and database.ts call: query (with rowMode and parsers), exec,
// transaction (interactive: query, exec, rollback) and close.
//
// One thread holds every PGlite the process opens. A thread per database compiled PGlite's 9 MB of
// WASM again in each new isolate, and the tests open hundreds of databases: 14 PGlite-heavy files
// went from 48 to 78 s of CPU. In one thread PGlite compiles it once and reuses the module.
import { Worker } from 'node:worker_threads';
import { messages, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

export interface PgliteOpenOptions {
  dataDir: string | undefined;
  /** Added to PGlite's default start parameters. */
  startParams: string[];
}

export type PgliteRequest =
  | ({ id: number; op: 'open' } & PgliteOpenOptions)
  | { id: number; op: 'query'; db: number; tx?: number; text: string; params?: unknown[]; rowMode?: 'array' | 'object'; textTypes?: number[] }
  | { id: number; op: 'exec'; db: number; tx?: number; text: string }
  | { id: number; op: 'begin'; db: number }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close'; db: number };

export type PgliteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError };

export interface SentError {
  message: string;
  name: string;
  stack?: string;
  /** A PostgreSQL error (PGlite's DatabaseError): the Prisma adapter maps only those to Prisma's codes. */
  database: boolean;
  /** PostgreSQL's fields: code (23505, 40001…), detail, constraint… */
  fields: Record<string, string | number | boolean>;
}

export type SentResults = Pick<Results, 'rows' | 'fields' | 'affectedRows'>;

type Parsers = NonNullable<QueryOptions['parsers']>;

// Distributive, so that each request's own fields stay required.
type RequestBody = PgliteRequest extends infer Request ? (Request extends PgliteRequest ? Omit<Request, 'id'> : never) : never;

// The thread's JS heap holds PGlite's glue code and the rows of a result until they are sent; the
// database itself lives in WASM memory, outside it. The cap must hold the largest result we ask
// for: a CSV export's 50,000 payments (exports/payments-csv.ts) needs more than 96 MB, and a thread
// over its cap dies with every database in it. Idle and in a chat burst the heap stays far below.
const THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 6 };

function received(sent: SentError): Error {
  const error = sent.database
    ? new messages.DatabaseError(sent.message, 0, sent.name as ConstructorParameters<typeof messages.DatabaseError>[2])
    : Object.assign(new Error(sent.message), { name: sent.name });
  Object.assign(error, sent.fields);
  if (sent.stack) error.stack = sent.stack;
  return error;
}

/** The main thread's parsers, applied to the text the worker left for them. */
function parse(results: SentResults, parsers: Parsers | undefined, rowMode: 'array' | 'object' | undefined): SentResults {
  if (!parsers) return results;
  results.fields.forEach((field, index) => {
    const parser = parsers[field.dataTypeID];
    if (!parser) return;
    const key = rowMode === 'array' ? index : field.name;
    for (const row of results.rows as Record<string | number, unknown>[]) {
      const value = row[key];
      if (value !== null) row[key] = parser(value as string);
    }
  });
  return results;
}

/** The worker thread and its requests in flight, for all the databases open in it. */
class PgliteHost {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private lastRequest = 0;
  exited: Error | undefined;

  constructor() {
    // A plain JavaScript module, so that it starts without a TypeScript loader under tsx and vitest as from dist/.
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { resourceLimits: THREAD_LIMITS });
    this.worker.unref();
    this.worker.on('message', (reply: PgliteReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the PGlite thread exited (code ${code})`)));
  }

  request(body: RequestBody): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = ++this.lastRequest;
    // The thread keeps the process alive only while an answer is awaited, as PGlite on the main thread did.
    if (this.pending.size === 0) this.worker.ref();
    const answer = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...body, id });
    return answer;
  }

  private settle(reply: PgliteReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(received(reply.error));
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

let sharedHost: PgliteHost | undefined;

/** The process's PGlite thread, started on first use (and again if it died). */
function host(): PgliteHost {
  if (!sharedHost || sharedHost.exited) sharedHost = new PgliteHost();
  return sharedHost;
}

export class PgliteThread {
  closed = false;

  private constructor(
    private readonly host: PgliteHost,
    private readonly db: number,
  ) {}

  /** Opens a PGlite on the process's PGlite thread and waits until it is ready. */
  static async open(options: PgliteOpenOptions): Promise<PgliteThread> {
    const thread = host();
    const db = (await thread.request({ op: 'open', ...options })) as number;
    return new PgliteThread(thread, db);
  }

  async query<Row>(text: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<Row>> {
    const parsers = options?.parsers;
    const textTypes = parsers && Object.keys(parsers).map(Number);
    const results = (await this.host.request({ op: 'query', db: this.db, tx, text, params, rowMode: options?.rowMode, textTypes })) as SentResults;
    return parse(results, parsers, options?.rowMode) as Results<Row>;
  }

  async exec(text: string, tx?: number): Promise<Results[]> {
    return (await this.host.request({ op: 'exec', db: this.db, tx, text })) as Results[];
  }

  /** As PGlite's: the callback's queries run alone (other queries wait), COMMIT after it, ROLLBACK if it throws. */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = (await this.host.request({ op: 'begin', db: this.db })) as number;
    let rolledBack = false;
    const tx = {
      query: <Row>(text: string, params?: unknown[], options?: QueryOptions) => this.query<Row>(text, params, options, id),
      exec: (text: string) => this.exec(text, id),
      rollback: async () => {
        await this.host.request({ op: 'rollback', tx: id });
        rolledBack = true;
      },
      get closed() {
        return rolledBack;
      },
    } as unknown as Transaction;
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      await this.host.request({ op: 'end', tx: id, commit: false });
      throw error;
    }
    await this.host.request({ op: 'end', tx: id, commit: true });
    return result;
  }

  /** Closes PGlite (it writes its files); the thread stays for the process's other databases. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.host.request({ op: 'close', db: this.db });
  }

  /** For pglite-prisma-adapter, which types its client as PGlite. */
  asPglite(): PGlite {
    return this as unknown as PGlite;
  }
}
