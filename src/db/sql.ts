/** One parameterised statement, one round trip: the hot paths (inbox, a step's context) use it. */
export interface SqlQuery {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

/** The little raw-SQL surface the migration runner needs, over PGlite or a pg connection. */
export interface SqlSession extends SqlQuery {
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
}

/** A Prisma client's raw queries as an SqlQuery, for callers that hold only the client (the chat's rarer paths, tests). */
export function prismaQuery(prisma: { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> }): SqlQuery {
  return { query: <Row>(text: string, params: unknown[] = []) => prisma.$queryRawUnsafe<Row[]>(text, ...params) };
}
