import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { createLogger } from '../logger.js';
import { openDatabaseOrServer, runInServer } from './cli-endpoint.js';
import { adminCommands, CliError, type CliContext } from './commands.js';
import { readSecretLines } from './read-secret-lines.js';
import { outcomeOfError, runCommand, type CommandOutcome } from './run-command.js';

function parseArgs(argv: string[]): { name: string | undefined; flags: Map<string, string | true> } {
  const [name, ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    if (!arg.startsWith('--')) throw new CliError(`unexpected argument "${arg}" (flags look like --name value)`);
    const next = rest[index + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      index++;
    } else {
      flags.set(arg.slice(2), true);
    }
  }
  return { name, flags };
}

function usage(): string {
  return ['usage: npm run admin -- <command> [--flags] [--json]', '', 'commands:', ...adminCommands.map((command) => `  ${command.usage.padEnd(52)} ${command.summary}`)].join('\n');
}

/** Prints what a command left: `--json` → exactly one JSON object on stdout, whatever happened. */
function report(outcome: CommandOutcome, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify(outcome.json)}\n`);
  else if (outcome.ok) process.stdout.write(`${outcome.text}\n`);
  if (!outcome.ok) process.stderr.write(`${outcome.text}\n`);
  return outcome.exitCode;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    const message = (error as Error).message;
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`${message}\n${usage()}\n`);
    return 2;
  }
  const json = parsed.flags.get('json') === true;
  const command = adminCommands.find((candidate) => candidate.name === parsed.name);
  if (!command) {
    const message = parsed.name ? `unknown command "${parsed.name}"` : 'no command given';
    if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`${message}\n${usage()}\n`);
    return 2;
  }
  let db: Database | undefined;
  try {
    const config = loadConfig();
    const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
    if (command.needsDatabase !== false) {
      const opened = await openDatabaseOrServer(config);
      if ('server' in opened) {
        // `npm start` holds the embedded database: the command runs inside that server.
        const stdin = command.stdinPrompts ? (await readSecretLines(process.stdin, command.stdinPrompts).catch(() => Promise.reject(new CliError('cancelled; nothing stored')))).join('\n') : '';
        return report(await runInServer(opened.server, { command: command.name, flags: [...parsed.flags], stdin }), json);
      }
      db = opened.db;
      await db.migrate();
    }
    const context: CliContext = { config, db, log, flags: parsed.flags, stdin: process.stdin };
    return report(await runCommand(command, context), json);
  } catch (error) {
    return report(outcomeOfError(error), json);
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
