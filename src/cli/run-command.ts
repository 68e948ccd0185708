import { ConfigError } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { CliError, type AdminCommand, type CliContext } from './commands.js';

/** What a command run leaves for the person at the terminal, wherever it ran. */
export interface CommandOutcome {
  ok: boolean;
  /** The one object `--json` prints on stdout: the result, or `{ error }`. */
  json: Record<string, unknown>;
  /** Printed without --json: on stdout when ok, else on stderr. */
  text: string;
  exitCode: number;
}

export function failure(message: string, exitCode: number): CommandOutcome {
  return { ok: false, json: { error: message }, text: message, exitCode };
}

/** Errors a person can act on keep their message; anything else is reported as unexpected. */
export function outcomeOfError(error: unknown): CommandOutcome {
  if (error instanceof CliError) return failure(error.message, error.exitCode);
  if (error instanceof ConfigError || error instanceof DataDirInUseError) return failure(error.message, 1);
  return failure(`unexpected error: ${(error as Error).message}`, 1);
}

export async function runCommand(command: AdminCommand, context: CliContext): Promise<CommandOutcome> {
  try {
    const result = await command.run(context);
    return { ok: true, json: result.json, text: result.text, exitCode: result.exitCode ?? 0 };
  } catch (error) {
    return outcomeOfError(error);
  }
}
