// The admin CLI two ways. As the operator runs it: a child process, for what only a process shows
// (exit codes, what reaches stdout and stderr, secrets read from stdin). And in this process, through
// the same runCommand the CLI calls, for tests about what a command does: no Node start and no tsx
// compile per run (about 2–3 s of CPU each on these two cores).
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import type { CliContext } from '../../src/cli/commands.js';
import { adminCommands } from '../../src/cli/command-list.js';
import { runCommand, type CommandOutcome } from '../../src/cli/run-command.js';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from './line-harness.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last line of stdout as JSON (what --json prints), or {} when it is not JSON. */
  json: Record<string, unknown>;
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } catch {
    // Not JSON output; the test says what it expected.
    return {};
  }
}

/**
 * `npm run admin -- <args>` as README says (`viaNpm`), or the same program as vitest's globalSetup
 * built it (test/support/build-dist.ts), `node dist/cli/admin.js <args>`: no npm and no tsx compile
 * (about 1 s of CPU less per run). The child sees only PATH, HOME and `env`.
 */
export function runAdminProcess(args: string[], env: Record<string, string>, options: { stdin?: string; viaNpm?: boolean } = {}): Promise<CliRun> {
  const [command, argv] = options.viaNpm ? ['npm', ['run', 'admin', '--', ...args]] : [process.execPath, ['dist/cli/admin.js', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: lastJsonLine(stdout) }));
    child.stdin.end(options.stdin ?? '');
  });
}

export interface InProcessRun {
  outcome: CommandOutcome;
  /** Every line the command logged (at debug), i.e. what the process would write to stderr besides the outcome. */
  logs: LogCapture;
}

/** Runs the admin command `name` with `flags` in this process, as admin.ts would after parsing its arguments. */
export async function runAdminInProcess(name: string, flags: Record<string, string | true>, target: { config: Config; db: Database | undefined; stdin?: string }): Promise<InProcessRun> {
  const command = adminCommands.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`no admin command "${name}"`);
  const logs = new LogCapture();
  const context: CliContext = {
    config: target.config,
    db: target.db,
    log: createLogger('debug', logs),
    flags: new Map(Object.entries(flags)),
    stdin: Readable.from([target.stdin ?? '']),
  };
  return { outcome: await runCommand(command, context), logs };
}
