import { validateWorkflow, type ValidationError } from '@action-validator/core';

// Workflows are checked twice: against the GitHub workflow JSON schema (SchemaStore's, compiled into
// @action-validator/core's WebAssembly, offline), and for what the sharded example must keep consistent.

/** Schema violations (and unresolved `needs`), one line each; empty when valid. */
export function schemaProblems(source: string): string[] {
  const flatten = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => {
      const nested = 'states' in e ? e.states.flatMap((s) => flatten(s.errors)) : [];
      const where = 'path' in e ? e.path : '';
      return [`${e.code} ${where} ${e.detail ?? e.title}`, ...nested];
    });
  return flatten(validateWorkflow(source).errors);
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface WorkflowJob {
  needs?: string | string[];
  outputs?: Record<string, string>;
  strategy?: { matrix?: { shard?: unknown } };
  steps?: Step[];
}
export interface Workflow {
  jobs: Record<string, WorkflowJob>;
}

const needsOf = (job: WorkflowJob): string[] => (job.needs === undefined ? [] : [job.needs].flat());
const uploads = (job: WorkflowJob | undefined): Step[] => (job?.steps ?? []).filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
const downloads = (job: WorkflowJob | undefined): Step[] => (job?.steps ?? []).filter((s) => s.uses?.startsWith('actions/download-artifact@'));
const runText = (job: WorkflowJob | undefined): string => (job?.steps ?? []).map((s) => s.run ?? '').join('\n');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A glob pattern as upload/download-artifact use it (only `*`), as a RegExp. */
const globRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** The sharded example: plan → matrix of shards → merge, with names that agree. */
export function shardedProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const entries = Object.entries(workflow.jobs);
  const [shardName, shard] = entries.find(([, j]) => j.strategy?.matrix?.shard !== undefined) ?? [];
  if (!shardName || !shard) return ['no job with a shard matrix'];
  const shards = shard.strategy?.matrix?.shard;
  const run = runText(shard);
  const declared = /--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(run);
  if (!declared) return ['the shard job does not run --shard ${{ matrix.shard }}/n'];
  const n = Number(declared[1]);
  if (JSON.stringify(shards) !== JSON.stringify(Array.from({ length: n }, (_, i) => i + 1))) {
    problems.push(`matrix shard ${JSON.stringify(shards)} is not 1..${n}`);
  }
  for (const flag of ['--cameras-file', '--start-at']) if (!run.includes(flag)) problems.push(`the shard job runs without ${flag}`);

  // The plan job: the shards need it, read its start time, and download the camera list it uploads.
  const [planName, plan] = entries.find(([name]) => needsOf(shard).includes(name)) ?? [];
  if (!planName || !plan) problems.push('the shard job needs no plan job');
  const startAt = /needs\.([\w-]+)\.outputs\.([\w-]+)/.exec(JSON.stringify(shard));
  if (!startAt || startAt[1] !== planName || !plan?.outputs?.[startAt[2] ?? '']) problems.push('the start time is not an output of the plan job');
  const listName = text(uploads(plan)[0]?.with?.name);
  if (!listName || !downloads(shard).some((d) => d.with?.name === listName)) problems.push('the shards do not download the camera list the plan uploads');

  // The merge job: needs the shards, downloads every shard's artifact, merges the files they hold.
  const [, merge] = entries.find(([name, j]) => name !== shardName && needsOf(j).includes(shardName)) ?? [];
  if (!merge) return [...problems, 'no job needs the shard job'];
  // A path may hold ${{ … }} expressions, spaces included.
  const reportPath = /--output ((?:\$\{\{[^}]*\}\}|\S)+)/.exec(run)?.[1] ?? '';
  const upload = uploads(shard).find((u) => text(u.with?.path).includes(reportPath));
  if (!reportPath || !upload) problems.push('the shard report (--output) is not uploaded');
  const download = downloads(merge)[0];
  const pattern = text(download?.with?.pattern);
  for (let i = 1; i <= n; i++) {
    const uploaded = text(upload?.with?.name).replaceAll('${{ matrix.shard }}', String(i));
    if (!pattern || !globRegExp(pattern).test(uploaded)) problems.push(`artifact ${uploaded} is not downloaded by the merge job`);
  }
  if (download?.with?.['merge-multiple'] !== true) problems.push('the merge job keeps each artifact in its own folder');
  const mergeRun = /camera-load merge (\S+)/.exec(runText(merge));
  const into = text(download?.with?.path);
  const report = reportPath.replaceAll('${{ matrix.shard }}', '1');
  if (!mergeRun?.[1] || !globRegExp(mergeRun[1]).test(`${into}/${report}`)) problems.push('camera-load merge does not read the downloaded reports');
  if (!runText(merge).includes('--threshold')) problems.push('the merge applies no thresholds');
  return problems;
}

/** Every `uses:` of the official actions on a pinned major version. */
export function unpinnedActions(workflow: Workflow): string[] {
  return Object.values(workflow.jobs)
    .flatMap((j) => j.steps ?? [])
    .flatMap((s) => (s.uses?.startsWith('actions/') && !/@v\d+$/.test(s.uses) ? [s.uses] : []));
}
