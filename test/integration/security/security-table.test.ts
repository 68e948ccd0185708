// README's Security table, row by row: every threat names its defence and at least one test
// (`file` › name), and that test exists — so a row cannot claim a proof CI does not run.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
const section = readme.slice(readme.indexOf('\n## Security'), readme.indexOf('\n## How it is built'));
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| threat ') && !line.startsWith('|---'))
  .map((line) => {
    const [threat = '', defence = '', tests = ''] = line.slice(2, -2).split(' | ');
    return { threat, defence, tests };
  });

describe("README's Security table", () => {
  it('lists the threats', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows)('$threat: a defence and tests that exist', ({ defence, tests }) => {
    expect(defence.length).toBeGreaterThan(10);
    const named = tests.split('; ').map((entry) => /^`([^`]+)` › (.+)$/.exec(entry));
    expect(named.length).toBeGreaterThan(0);
    for (const match of named) {
      expect(match, `not "\`file\` › name": ${tests}`).not.toBeNull();
      const [, file = '', name = ''] = match!;
      expect(existsSync(new URL(file, ROOT)), file).toBe(true);
      expect(readFileSync(new URL(file, ROOT), 'utf8'), `${file} has no test "${name}"`).toContain(name);
    }
  });
});
