import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { BIN, waitForExit, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// run-sharded.sh, the Job it renders and the real CLI, end to end, with a stand-in kubectl that runs each
// completion index of the applied Job as a local process (JOB_COMPLETION_INDEX, the Job's own arguments,
// the ConfigMap's file where the Job mounts it) and serves their stdout as the pods' logs.

const script = fileURLToPath(new URL('../../deploy/kubernetes/run-sharded.sh', import.meta.url));
const yamlModule = createRequire(import.meta.url).resolve('yaml');
const dir = tempDir('run-sharded-e2e');

const fakeKubectl = `#!/usr/bin/env node
import { appendFileSync, mkdirSync, readFileSync, writeFileSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const { parse, stringify } = createRequire(import.meta.url)(process.env.YAML_MODULE);
const fake = process.env.FAKE;
const args = process.argv.slice(2);
appendFileSync(fake + '/calls', 'kubectl ' + args.join(' ') + '\\n');
const state = () => JSON.parse(readFileSync(fake + '/state.json', 'utf8'));
if (args[0] === 'create' && args[1] === 'configmap') {
  const file = args.find((a) => a.startsWith('--from-file=')).split('=').slice(2).join('=');
  process.stdout.write(stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: args[2] }, data: { 'cameras.json': readFileSync(file, 'utf8') } }));
} else if (args[0] === 'apply') {
  const doc = parse(readFileSync(0, 'utf8'));
  if (doc.kind === 'ConfigMap') writeFileSync(fake + '/configmap.json', JSON.stringify(doc));
  if (doc.kind === 'Job') {
    const map = JSON.parse(readFileSync(fake + '/configmap.json', 'utf8'));
    const container = doc.spec.template.spec.containers[0];
    const mount = container.volumeMounts[0].mountPath;
    mkdirSync(fake + mount, { recursive: true });
    for (const [key, text] of Object.entries(map.data)) writeFileSync(fake + mount + '/' + key, text);
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    const argv = container.args.map((a) => a.replace(/\\$\\((\\w+)\\)/g, (_, name) => env[name]));
    const pods = [];
    for (let i = 0; i < doc.spec.completions; i++) {
      const own = argv.map((a) => a.replace(/^\\/tmp\\//, fake + '/pod-' + i + '-').replace(mount, fake + mount));
      // Each pod has its own network namespace, so one metrics port serves them all; here they share one machine
      // (and tests listen on 127.0.0.1 only): any free port each.
      own.forEach((a, j) => {
        if (own[j - 1] === '--metrics-port') own[j] = '0';
        if (own[j - 1] === '--metrics-host') own[j] = '127.0.0.1';
      });
      pods.push(['node', process.env.BIN, ...own].map((a) => "'" + a.replace(/'/g, "'\\\\''") + "'").join(' ') + ' > ' + fake + '/pod-' + i + '.log 2>&1 &');
    }
    // All pods at once, as parallelism = completions; the apply returns when they are done.
    spawnSync('bash', ['-c', pods.map((p, i) => 'JOB_COMPLETION_INDEX=' + i + ' ' + p).join('\\n') + '\\nwait'], { stdio: 'inherit' });
    writeFileSync(fake + '/state.json', JSON.stringify({ pods: doc.spec.completions }));
  }
} else if (args[0] === 'get' && args[1] === 'job') {
  process.stdout.write('Complete ');
} else if (args[0] === 'get' && args[1] === 'pods') {
  for (let i = 0; i < state().pods; i++) process.stdout.write(i + ' pod-' + i + '\\n');
} else if (args[0] === 'logs') {
  process.stdout.write(readFileSync(fake + '/' + args[1] + '.log'));
}
`;

let sim: RunningSimulator;
let result: CliResult;
let start: string;
beforeAll(async () => {
  sim = await startSimulator({ cameras: 7, inactive: 2, frameBytes: 2_000 });
  writeFileSync(join(dir, 'kubectl'), fakeKubectl);
  chmodSync(join(dir, 'kubectl'), 0o755);
  start = new Date(Date.now() + 8_000).toISOString();
  const child = spawn('bash', [script, '3', start, '--duration', '2s', '--max-streams', '7', '--threshold', 'fps.avg>=3'], {
    env: {
      ...process.env,
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      FAKE: dir,
      BIN,
      YAML_MODULE: yamlModule,
      CAMERA_LOAD: `${process.execPath} ${BIN}`,
      API_URL: sim.apiUrl,
      OUT_DIR: join(dir, 'out'),
      CI: 'true',
    },
    stdio: 'pipe',
  });
  child.stdin.end();
  result = await waitForExit(child, 45_000);
}, 60_000);
afterAll(() => sim.close());

describe('run-sharded.sh with the real CLI', () => {
  it('fetches the cameras once, runs 3 shards from the Job at one start, and merges them into one passing report', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, 'out', 'merged.json'), 'utf8')) as Report;
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(merged.partial).toBeFalsy();
    // Started together at --start-at, although the pods were started (and planned) seconds before.
    const starts = merged.shards!.map((s) => Date.parse(s.startedAt));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.parse(start));
    // Each shard's timer fires at that instant; a loaded 2-core machine may run one of them late.
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(2_500);
    expect(merged.streams).toHaveLength(7);
    expect(merged.summary.streamsOpened).toBe(7);
    expect(merged.thresholds.map((t) => t.passed)).toEqual([true]);
    // The sum of what the shards received, each of which printed its report as its last line.
    const shardFrames = [1, 2, 3].map((i) => (JSON.parse(readFileSync(join(dir, 'out', `shard-${i}.json`), 'utf8')) as Report).summary.totalFrames);
    expect(merged.summary.totalFrames).toBe(shardFrames.reduce((a, b) => a + b, 0));
    expect(result.stdout).toContain('Merged 3 shard reports');
  });
});
