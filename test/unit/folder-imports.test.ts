// The dependency direction of src/ (CONTRIBUTING.md "How it is built"), read from the imports themselves:
// core (conversation/) ← capabilities ← edges ← main. A folder-level circle fails here, naming
// the imports that close it.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

/** Every import of one of our files by another: folder → folder, with the file that makes it. */
interface Edge {
  from: string;
  to: string;
  file: string;
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top folder under src/; a file directly in src/ (config.ts, main.ts, …) is its own unit. */
function unitOf(file: string): string {
  const [first = '', ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length > 0 ? first : first.replace(/\.ts$/, '');
}

function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.ts'));
      if (path.relative(SRC, target).startsWith('generated')) continue;
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) edges.push({ from, to, file: path.relative(SRC, file), target: path.relative(SRC, target) });
    }
  }
  return edges;
}

/** Groups of units that reach each other (Tarjan's strongly connected components), larger than one. */
function circles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (!next.has(edge.from)) next.set(edge.from, new Set());
    if (!next.has(edge.to)) next.set(edge.to, new Set());
    next.get(edge.from)!.add(edge.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (unit: string) => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    onStack.add(unit);
    for (const to of next.get(unit)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(unit, Math.min(low.get(unit)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(to)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== unit);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const unit of next.keys()) if (!index.has(unit)) visit(unit);
  return found;
}

/** Every unit of src/: its top folders and the files directly in it. */
const UNITS = readdirSync(SRC, { withFileTypes: true })
  .filter((entry) => (entry.isDirectory() ? entry.name !== 'generated' : entry.name.endsWith('.ts')))
  .map((entry) => entry.name.replace(/\.ts$/, ''))
  .sort();
/** The pure chat core. */
const CORE = ['conversation'];
// Infrastructure any capability may use and that knows none of them: the database, words, the LINE
// client and rendering, the buyer pages' HTML shell and form token, the event rows, configuration, logging and metrics.
const INFRASTRUCTURE = ['db', 'i18n', 'line', 'events', 'pages', 'config', 'logger', 'metrics', 'effect-env'];
/** What talks to the outside world (webhooks, pages, the CLI, the inbox) and what starts it all. */
const EDGES_AND_ABOVE = ['bot', 'http', 'inbox', 'cli', 'server', 'main'];
/** Everything else is a capability, so a new folder is held to the rule without editing this test. */
const CAPABILITIES = UNITS.filter((unit) => ![...CORE, ...INFRASTRUCTURE, ...EDGES_AND_ABOVE].includes(unit));

/** Imports from a capability into an edge: the direction the layering forbids. */
const upwardImports = (edges: Edge[]) => edges.filter((edge) => CAPABILITIES.includes(edge.from) && EDGES_AND_ABOVE.includes(edge.to));

const describeEdges = (edges: Edge[]) => edges.map((edge) => `${edge.file} → ${edge.target}`);

describe('folder-level dependencies of src/', () => {
  const edges = importEdges();

  it('sees the imports (the check reads real files)', () => {
    expect(edges.some((edge) => edge.from === 'bot' && edge.to === 'conversation')).toBe(true);
  });

  it('form no circle between folders', () => {
    const found = circles(edges);
    const closing = found.map((group) => describeEdges(edges.filter((edge) => group.includes(edge.from) && group.includes(edge.to))));
    expect(closing).toEqual([]);
  });

  it('keep the conversation core pure: it imports only i18n', () => {
    expect(describeEdges(edges.filter((edge) => edge.from === 'conversation' && edge.to !== 'i18n'))).toEqual([]);
  });

  it('point from edges to capabilities, never back', () => {
    expect(describeEdges(upwardImports(edges))).toEqual([]);
  });

  it('treat every folder not named as core, infrastructure or edge as a capability (a new folder is covered)', () => {
    expect(CAPABILITIES).toEqual(expect.arrayContaining(['links', 'payments', 'refunds', 'discounts', 'subscriptions', 'shop-profile']));
    const named = [...CORE, ...INFRASTRUCTURE, ...EDGES_AND_ABOVE];
    expect(named.filter((unit) => !UNITS.includes(unit))).toEqual([]);
  });
});

describe('the upward check', () => {
  it('fails on an import from a capability into an edge (refunds/ → http/)', () => {
    const planted: Edge = { from: 'refunds', to: 'http', file: 'refunds/chat.ts', target: 'http/link-page.ts' };
    expect(describeEdges(upwardImports([planted]))).toEqual(['refunds/chat.ts → http/link-page.ts']);
  });
});
