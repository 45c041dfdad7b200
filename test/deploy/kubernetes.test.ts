import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseCameraList } from '../../src/cameras/parse-camera-list.js';
import { flagValue, jobProblems, validConfigMap, validJob, yamlDocuments } from './job-checks.js';

const dir = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const script = `${dir}run-sharded.sh`;
const checkedIn = (): unknown => {
  const docs = yamlDocuments(readFileSync(`${dir}job.yaml`, 'utf8'));
  expect(docs).toHaveLength(1);
  return docs[0];
};

function render(args: string[]) {
  const result = spawnSync('bash', [script, '--render', ...args], { encoding: 'utf8', timeout: 10_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the Indexed Job as checked in', () => {
  it('passes the Kubernetes schema and the sharding checks', () => {
    const job = validJob(checkedIn());
    expect(jobProblems(job)).toEqual([]);
    expect(job.spec?.completions).toBe(4);
  });

  // Each broken copy must be caught (by the schema, or by the checks while the schema still passes).
  // [name, path in the manifest, new value (undefined: removed)]
  type Breakage = [string, (string | number)[], unknown];
  const broken = ([, path, value]: Breakage): unknown => {
    const doc = parseDocument(readFileSync(`${dir}job.yaml`, 'utf8'));
    expect(doc.hasIn(path)).toBe(true);
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, value);
    return doc.toJS() as unknown;
  };
  const container = ['spec', 'template', 'spec', 'containers', 0];
  const schemaBreakages: Breakage[] = [
    ['completions not a number', ['spec', 'completions'], 'four'],
    ['a failure action Kubernetes does not know', ['spec', 'podFailurePolicy', 'rules', 1, 'action'], 'Retry'],
    ['runAsNonRoot not a boolean', ['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'], 'yes'],
    ['a volume mount without a name', [...container, 'volumeMounts', 0, 'name'], undefined],
  ];
  it.each(schemaBreakages)('the schema refuses a Job with %s', (...breakage) => {
    expect(() => validJob(broken(breakage))).toThrow();
  });

  const semanticBreakages: Breakage[] = [
    ['parallelism below completions', ['spec', 'parallelism'], 2],
    ['not Indexed', ['spec', 'completionMode'], 'NonIndexed'],
    ['no podFailurePolicy', ['spec', 'podFailurePolicy'], undefined],
    ['failed indexes retried', ['spec', 'backoffLimitPerIndex'], 3],
    ['restarted in place', ['spec', 'template', 'spec', 'restartPolicy'], 'OnFailure'],
    ['--shards differs from completions', [...container, 'env', 0, 'value'], '5'],
    ['report not on stdout', [...container, 'args', 8], 'report.json'],
    ['cameras not mounted', [...container, 'volumeMounts', 0, 'mountPath'], '/data'],
    ['allowed to run as root', ['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'], false],
    ['a scrape port camera-load does not listen on', ['spec', 'template', 'metadata', 'annotations', 'prometheus.io/port'], '9999'],
    ['metrics on the loopback address only', [...container, 'args', 18], '127.0.0.1'],
  ];
  it.each(semanticBreakages)('the checks refuse a Job with %s', (...breakage) => {
    expect(jobProblems(validJob(broken(breakage)))).toHaveLength(1);
  });
});

describe('run-sharded.sh --render', () => {
  it('sets completions, parallelism, --shards and the start for N, and appends the extra arguments last', () => {
    const start = '2026-12-03T15:00:00Z';
    const out = render(['3', start, '--duration', '2m', "it's", '--threshold', 'fps.avg>=4', '--allow-partial']);
    expect(out.code).toBe(0);
    const job = validJob(yamlDocuments(out.stdout)[0]);
    expect(jobProblems(job)).toEqual([]);
    expect([job.spec?.completions, job.spec?.parallelism]).toEqual([3, 3]);
    const container = job.spec!.template.spec!.containers[0]!;
    expect(container.env?.find((e) => e.name === 'START_AT')?.value).toBe(start);
    const args = container.args!;
    expect(args.slice(-3)).toEqual(['--duration', '2m', "it's"]);
    expect(flagValue(args, '--duration')).toBe('2m');
    // Thresholds belong to the merge, not to a shard.
    expect(args).not.toContain('--threshold');
    expect(args).not.toContain('--allow-partial');
  });

  it('uses IMAGE and JOB_NAME', () => {
    const result = spawnSync('bash', [script, '--render', '2', '2026-12-03T15:00:00Z'], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, IMAGE: 'registry.example/camera-load:1.2.3', JOB_NAME: 'fleet-test' },
    });
    const job = validJob(yamlDocuments(result.stdout)[0]);
    expect(job.metadata?.name).toBe('fleet-test');
    expect(job.spec?.template.spec?.containers[0]?.image).toBe('registry.example/camera-load:1.2.3');
  });

  it.each([
    ['N not a number', ['four', '2026-12-03T15:00:00Z']],
    ['N zero', ['0', '2026-12-03T15:00:00Z']],
    ['a start time that would escape the YAML', ['3', '15:00"\n  evil: 1']],
    ['no start time', ['3']],
  ])('refuses %s with exit 2', (_name, args) => {
    const out = render(args);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
  });
});

describe('the cameras ConfigMap', () => {
  const [doc] = yamlDocuments(readFileSync(`${dir}cameras-configmap.yaml`, 'utf8'));

  it('passes the schema, holds a camera list camera-load accepts, and is the one the Job mounts', () => {
    const map = validConfigMap(doc);
    const list = parseCameraList(JSON.parse(map.data?.['cameras.json'] ?? 'null'), 'configmap', 'http://invalid.local/');
    expect(list.cameras.length).toBeGreaterThan(0);
    const job = validJob(checkedIn());
    const names = job.spec?.template.spec?.volumes?.map((v) => v.configMap?.name);
    expect(names).toContain(map.metadata?.name);
    // The script recreates it under the same name.
    expect(readFileSync(script, 'utf8')).toContain(`create configmap ${map.metadata?.name ?? '?'} --from-file=cameras.json=`);
  });

  it('catches a ConfigMap whose data is not text', () => {
    const map = parseDocument(readFileSync(`${dir}cameras-configmap.yaml`, 'utf8'));
    map.setIn(['data', 'cameras.json'], [1, 2]);
    expect(() => validConfigMap(map.toJS())).toThrow();
  });
});
