import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CliContext {
  config: Config;
  /** Absent for commands that declare needsDatabase: false. */
  db: Database | undefined;
  log: Logger;
  flags: Map<string, string | true>;
  stdin: NodeJS.ReadableStream;
}

export interface CliResult {
  /** Printed with --json (one object on stdout). */
  json: Record<string, unknown>;
  /** Printed otherwise. */
  text: string;
  exitCode?: number;
}

export interface AdminCommand {
  name: string;
  usage: string;
  summary: string;
  needsDatabase?: boolean;
  /**
   * The lines this command reads from stdin, as terminal prompts. When the command runs inside
   * the server that holds the embedded database, the CLI reads them first and passes them on.
   */
  stdinPrompts?: string[];
  run(context: CliContext): Promise<CliResult>;
}

/** A required string flag, or a CliError naming it. */
export function requireFlag(context: CliContext, name: string): string {
  const value = context.flags.get(name);
  if (typeof value !== 'string' || value.trim() === '') throw new CliError(`missing --${name} <value>`, 2);
  return value.trim();
}

export function requireDb(context: CliContext): Database {
  if (!context.db) throw new CliError('this command needs the database');
  return context.db;
}

/** Every admin command; features append theirs in cli/command-list.ts. */
export { adminCommands } from './command-list.js';
