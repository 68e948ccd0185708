import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/db/data-dir-lock.js';
import { openDatabase } from '../../src/db/database.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'pglite-lock-'));

describe('embedded database directory lock', () => {
  it('lets one process hold it and releases it', () => {
    const lockFile = path.join(tempDir(), 'pglite.lock');
    const release = lockDataDir(lockFile);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const lockFile = path.join(tempDir(), 'pglite.lock');
    writeFileSync(lockFile, '999999999\n');
    const release = lockDataDir(lockFile);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('refuses to open the embedded database another live process holds, before touching its files', async () => {
    const dataDir = tempDir();
    // This process's parent stands in for a running `npm start`.
    writeFileSync(path.join(dataDir, 'pglite.lock'), `${process.ppid}\n`);
    const opening = openDatabase({ databaseUrl: undefined, dataDir });
    await expect(opening).rejects.toThrow(DataDirInUseError);
    await expect(opening).rejects.toThrow(/is `npm start` running\?/);
    expect(readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.ppid));
  });
});
