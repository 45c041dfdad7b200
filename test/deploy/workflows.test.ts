import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, type Document } from 'yaml';
import { schemaProblems, shardedProblems, unpinnedActions, type Workflow } from './workflow-checks.js';

const workflows = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const source = (name: string): string => readFileSync(`${workflows}${name}`, 'utf8');
const sharded = (): Document => parseDocument(source('camera-sharded.yml'));
const asWorkflow = (doc: Document): Workflow => doc.toJS() as Workflow;

describe.each(['camera-smoke.yml', 'camera-sharded.yml'])('%s', (name) => {
  it('passes the GitHub workflow schema, with pinned major versions of the actions', () => {
    expect(schemaProblems(source(name))).toEqual([]);
    expect(unpinnedActions(parse(source(name)) as Workflow)).toEqual([]);
  });
});

describe('camera-sharded.yml', () => {
  it('plans once, runs shards 1..4 of /4, and merges every shard report with thresholds', () => {
    const doc = sharded();
    expect(shardedProblems(asWorkflow(doc))).toEqual([]);
    expect(asWorkflow(doc).jobs.shard?.strategy?.matrix?.shard).toEqual([1, 2, 3, 4]);
    // A failed shard (exit 4) must not cancel the others nor skip the merge, which names it.
    expect(doc.getIn(['jobs', 'shard', 'strategy', 'fail-fast'])).toBe(false);
    expect(doc.getIn(['jobs', 'merge', 'if'])).toContain('!cancelled()');
  });

  // [name, path in the workflow, new value (undefined: removed), or a change to the string there]
  type Breakage = [string, (string | number)[], unknown];
  const broken = ([, path, value]: Breakage): Document => {
    const doc = sharded();
    expect(doc.hasIn(path)).toBe(true);
    if (value === undefined) doc.deleteIn(path);
    else if (typeof value === 'function') doc.setIn(path, (value as (s: string) => string)(String(doc.getIn(path))));
    else doc.setIn(path, value);
    return doc;
  };
  const schemaBreakages: Breakage[] = [
    ['a job without runs-on', ['jobs', 'merge', 'runs-on'], undefined],
    ['timeout-minutes as words', ['jobs', 'shard', 'timeout-minutes'], 'an hour'],
    ['needs naming no job', ['jobs', 'merge', 'needs'], ['plan', 'shards']],
    ['an unknown key in a step', ['jobs', 'plan', 'steps', 0], { usess: 'actions/checkout@v4' }],
  ];
  it.each(schemaBreakages)('the schema refuses %s', (...breakage) => {
    expect(schemaProblems(broken(breakage).toString()).length).toBeGreaterThan(0);
  });

  const step = (i: number, ...rest: string[]) => ['jobs', 'shard', 'steps', i, ...rest];
  const semanticBreakages: Breakage[] = [
    ['a matrix of 3 for /4', ['jobs', 'shard', 'strategy', 'matrix', 'shard'], [1, 2, 3]],
    ['0-based shards', ['jobs', 'shard', 'strategy', 'matrix', 'shard'], [0, 1, 2, 3]],
    ['a merge that does not wait for the shards', ['jobs', 'merge', 'needs'], ['plan']],
    ['a shard artifact the merge does not download', step(5, 'with', 'name'), 'report-${{ matrix.shard }}'],
    ['a report file that is not uploaded', step(5, 'with', 'path'), 'shard.log'],
    ['a start time the plan does not give', ['jobs', 'plan', 'outputs'], { 'start-time': '${{ steps.start.outputs.start-at }}' }],
    ['a camera list under another name', step(3, 'with', 'name'), 'cameras'],
    ['no synchronized start', step(4, 'run'), (run: string) => run.replace('--start-at "$START_AT"', '')],
    ['merged from elsewhere', ['jobs', 'merge', 'steps', 4, 'run'], (run: string) => run.replace('shards/shard-*', 'shard-*')],
  ];
  it.each(semanticBreakages)('the checks refuse %s', (...breakage) => {
    const doc = broken(breakage);
    expect(schemaProblems(doc.toString())).toEqual([]);
    expect(shardedProblems(asWorkflow(doc)).length).toBeGreaterThan(0);
  });

  it('refuses an action on a branch instead of a major version', () => {
    const doc = sharded();
    doc.setIn(['jobs', 'merge', 'steps', 0, 'uses'], 'actions/checkout@main');
    expect(unpinnedActions(asWorkflow(doc))).toEqual(['actions/checkout@main']);
  });
});
