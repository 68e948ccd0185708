import { ConfigError, loadConfig } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { createLogger } from '../logger.js';
import { openDatabase, type Database } from '../db/database.js';
import { adminCommands, CliError, type CliContext } from './commands.js';

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

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage()}\n`);
    return 2;
  }
  const json = parsed.flags.get('json') === true;
  const command = adminCommands.find((candidate) => candidate.name === parsed.name);
  if (!command) {
    process.stderr.write(`${parsed.name ? `unknown command "${parsed.name}"\n` : ''}${usage()}\n`);
    return 2;
  }
  let db: Database | undefined;
  try {
    const config = loadConfig();
    const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
    if (command.needsDatabase !== false) {
      db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await db.migrate();
    }
    const context: CliContext = { config, db, log, flags: parsed.flags, stdin: process.stdin };
    const result = await command.run(context);
    process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    const understood = error instanceof CliError || error instanceof ConfigError || error instanceof DataDirInUseError;
    const message = understood ? error.message : `unexpected error: ${(error as Error).message}`;
    if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`${message}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
