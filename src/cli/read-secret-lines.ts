import type { ReadStream } from 'node:tty';

/**
 * Reads `prompts.length` lines of secrets from stdin without echoing them: piped input is read
 * to its end; a terminal is switched to raw mode and shows one prompt per line on stderr.
 * Secrets never pass through argv (visible in `ps` and shell history).
 */
export async function readSecretLines(stdin: NodeJS.ReadableStream, prompts: string[], stderr: NodeJS.WritableStream = process.stderr): Promise<string[]> {
  const terminal = stdin as Partial<ReadStream>;
  if (terminal.isTTY && typeof terminal.setRawMode === 'function') return readFromTerminal(terminal as ReadStream, prompts, stderr);
  let input = '';
  for await (const chunk of stdin) input += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return input
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, prompts.length);
}

function readFromTerminal(stdin: ReadStream, prompts: string[], stderr: NodeJS.WritableStream): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let current = '';
    stderr.write(prompts[0] ?? '');
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      if (error) reject(error);
      else resolve(lines);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\r' || char === '\n') {
          stderr.write('\n');
          lines.push(current.trim());
          current = '';
          if (lines.length === prompts.length) return finish();
          stderr.write(prompts[lines.length] ?? '');
        } else if (char === '\u007f' || char === '\b') {
          current = current.slice(0, -1);
        } else {
          current += char;
        }
      }
    };
    stdin.on('data', onData);
  });
}
