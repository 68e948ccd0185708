// PGlite runs PostgreSQL in WASM: on the server's one JS thread it took two thirds of the CPU of
// each webhook event, and HTTP waited for it (issue 26). It runs on a worker thread instead
// (pglite-worker.ts); this object stands in for the PGlite instance on the main thread, with the
// methods pglite-prisma-adapter and database.ts call: query (with rowMode and parsers), exec,
// transaction (interactive: query, exec, rollback) and close.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messages, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

export interface PgliteWorkerData {
  dataDir: string | undefined;
  /** Added to PGlite's default start parameters. */
  startParams: string[];
}

export type PgliteRequest =
  | { id: number; op: 'query'; tx?: number; text: string; params?: unknown[]; rowMode?: 'array' | 'object'; textTypes?: number[] }
  | { id: number; op: 'exec'; tx?: number; text: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** Request 0 is the worker's start: it answers once PGlite is ready (or failed to start). */
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

function startWorker(data: PgliteWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: data });
  // Under tsx or vitest this module, and so the worker, is TypeScript: the worker loads it through
  // tsx's API (a worker's entry module does not go through the --import loaders on Node 20).
  const tsx = new URL('index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api'))).href;
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, { eval: true, workerData: data });
}

export class PgliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private lastRequest = 0;
  private exited: Error | undefined;
  closed = false;

  private constructor(data: PgliteWorkerData) {
    this.worker = startWorker(data);
    this.worker.on('message', (reply: PgliteReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the PGlite thread exited (code ${code})`)));
  }

  /** Starts the worker thread and waits until PGlite in it is ready. */
  static async open(data: PgliteWorkerData): Promise<PgliteThread> {
    const thread = new PgliteThread(data);
    try {
      await thread.wait(0);
    } catch (error) {
      await thread.worker.terminate();
      throw error;
    }
    return thread;
  }

  private wait(id: number): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    // The thread keeps the process alive only while an answer is awaited, as PGlite on the main thread did.
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
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

  private request(body: RequestBody): Promise<unknown> {
    const id = ++this.lastRequest;
    const answer = this.wait(id);
    if (!this.exited) this.worker.postMessage({ ...body, id });
    return answer;
  }

  async query<Row>(text: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<Row>> {
    const parsers = options?.parsers;
    const textTypes = parsers && Object.keys(parsers).map(Number);
    const results = (await this.request({ op: 'query', tx, text, params, rowMode: options?.rowMode, textTypes })) as SentResults;
    return parse(results, parsers, options?.rowMode) as Results<Row>;
  }

  async exec(text: string, tx?: number): Promise<Results[]> {
    return (await this.request({ op: 'exec', tx, text })) as Results[];
  }

  /** As PGlite's: the callback's queries run alone (other queries wait), COMMIT after it, ROLLBACK if it throws. */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = (await this.request({ op: 'begin' })) as number;
    let rolledBack = false;
    const tx = {
      query: <Row>(text: string, params?: unknown[], options?: QueryOptions) => this.query<Row>(text, params, options, id),
      exec: (text: string) => this.exec(text, id),
      rollback: async () => {
        await this.request({ op: 'rollback', tx: id });
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
      await this.request({ op: 'end', tx: id, commit: false });
      throw error;
    }
    await this.request({ op: 'end', tx: id, commit: true });
    return result;
  }

  /** Closes PGlite (it writes its files) and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.request({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  /** For pglite-prisma-adapter, which types its client as PGlite. */
  asPglite(): PGlite {
    return this as unknown as PGlite;
  }
}
