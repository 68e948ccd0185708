import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecretLines } from '../../../src/cli/read-secret-lines.js';

describe('reading keys from piped stdin', () => {
  it('takes the first non-empty lines, trimmed, across chunks and CRLF', async () => {
    const stdin = Readable.from([Buffer.from('\n  sk_test_a'), Buffer.from('bc \r\n\r\nwhsec_x\r\nextra\n')]);
    expect(await readSecretLines(stdin, ['key: ', 'secret: '])).toEqual(['sk_test_abc', 'whsec_x']);
  });

  it('returns fewer lines when fewer were given', async () => {
    expect(await readSecretLines(Readable.from(['only-one\n']), ['key: ', 'secret: '])).toEqual(['only-one']);
    expect(await readSecretLines(Readable.from([]), ['key: ', 'secret: '])).toEqual([]);
  });
});
