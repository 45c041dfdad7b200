import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering rule (docs/architecture.md): each folder of src/ has a floor, and a file imports only from its
 * own folder or from folders on lower floors. The pure floors import no I/O at all.
 */
export const FLOORS: Readonly<Record<string, number>> = {
  'cli.ts': 100,
  'index.ts': 100,
  // Starts Node again with the V8 flags run and max were measured with.
  launcher: 95,
  commands: 90,
  // Files written (with fallbacks) and read back: reports, the log, the HTML page, JUnit, the job summary.
  files: 80,
  // The terminal: the prompt, the countdown, the live progress.
  terminal: 80,
  // The live Prometheus endpoint: its text drawn from the engine's own counters.
  prometheus: 80,
  // Pure text renderers: the summary, the job summary, JUnit, the trials, the fleet, the cameras.
  render: 75,
  run: 70,
  cameras: 60,
  connection: 50,
  system: 50,
  options: 40,
  html: 39,
  // The verdict word of a run or a search, and the exit code it stands for.
  verdict: 37,
  // Two reports compared figure by figure: the statistics and the verdict of each line.
  compare: 36,
  max: 35,
  report: 30,
  metrics: 25,
  mjpeg: 20,
  sim: 15,
  text: 10,
  // The shared ground floor: error classes, exit codes, version.
  '': 0,
};

/** Folders of pure logic: no files, sockets, timers, processes or HTTP clients. */
export const PURE = new Set(['options', 'html', 'render', 'verdict', 'compare', 'max', 'report', 'metrics', 'mjpeg', 'text']);

const IO_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|child_process|cluster|timers|timers\/promises|worker_threads|readline|zlib)$|^undici$|^pino$|^systeminformation$/;

export interface Import {
  /** The importing file, relative to src/. */
  from: string;
  /** A file relative to src/ when `local`, else the module name (node:fs, undici, …). */
  to: string;
  local: boolean;
  line: number;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of every .ts file below `srcDir`, as paths relative to it (or the bare module name). */
export function readImports(srcDir: string): Import[] {
  const imports: Import[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(IMPORT)) {
          const spec = match[1] ?? match[2] ?? match[3] ?? '';
          const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
          const local = spec.startsWith('.');
          const to = local ? relative(srcDir, resolve(dirname(path), spec)).replace(/\.js$/, '.ts') : spec;
          imports.push({ from: relative(srcDir, path), to, local, line });
        }
      }
    }
  };
  walk(srcDir);
  return imports;
}

/** The folder a src-relative path belongs to: its first segment, or the file itself for cli.ts and index.ts. */
export function folderOf(path: string): string {
  const [first, ...rest] = path.split('/');
  if (rest.length > 0) return first ?? '';
  return FLOORS[path] !== undefined ? path : '';
}

/** What breaks the rule, one line each: upward or sideways imports, unknown folders, I/O in pure folders. */
export function violations(imports: readonly Import[]): string[] {
  const found: string[] = [];
  for (const { from, to, local, line } of imports) {
    const source = folderOf(from);
    const sourceFloor = FLOORS[source];
    const where = `src/${from}:${line}`;
    if (sourceFloor === undefined) {
      found.push(`${where}: folder '${source}' has no floor in the layering rule`);
      continue;
    }
    if (!local) {
      if (PURE.has(source) && IO_MODULES.test(to)) found.push(`${where}: pure folder '${source}' imports ${to}`);
      continue;
    }
    const target = folderOf(to);
    if (target === source) continue;
    const targetFloor = FLOORS[target];
    if (targetFloor === undefined) found.push(`${where}: imports src/${to}, in folder '${target}', which has no floor`);
    else if (targetFloor >= sourceFloor) {
      found.push(`${where}: '${source}' (floor ${sourceFloor}) imports src/${to} ('${target}', floor ${targetFloor}): imports point down`);
    }
  }
  return found;
}

/** Circles among files (each file's relative imports), as file lists. */
export function circles(imports: readonly Import[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const { from, to, local } of imports) {
    if (!local) continue;
    edges.set(from, [...(edges.get(from) ?? []), to]);
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}
