import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { flagValue, validConfigMap, validJob, yamlDocuments } from './job-checks.js';

// The whole script against a stand-in kubectl and camera-load (no cluster here): what it applies, how it
// picks each shard's report out of the pod logs, and what it hands to `merge`.

const script = fileURLToPath(new URL('../../deploy/kubernetes/run-sharded.sh', import.meta.url));
const dir = tempDir('run-sharded');

function executable(name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

// Index 0 ran twice (a disrupted pod was recreated): the newest pod's report counts. Index 2 crashed
// before printing a report; index 3 never got a pod.
executable(
  'kubectl',
  `echo "kubectl $*" >> "$FAKE/calls"
case "$1 \${2:-}" in
  "create configmap") printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s\\ndata:\\n  cameras.json: |\\n    %s\\n' "$3" "$(cat "\${4#*=cameras.json=}")" ;;
  "apply -f") n=$(find "$FAKE" -name 'applied-*' | wc -l); cat > "$FAKE/applied-$n.yaml" ;;
  "get job") printf 'Complete ' ;;
  "get pods") printf '0 pod-0-old\\n1 pod-1\\n0 pod-0-new\\n2 pod-2\\n' ;;
  "logs pod-0-old") echo '{"from":"old"}' ;;
  "logs pod-0-new") printf 'Merged summary text\\n{"from":"new"}\\n' ;;
  "logs pod-1") echo '{"from":"1"}' ;;
  "logs pod-2") echo 'Error: out of memory' ;;
esac`,
);
executable(
  'camera-load',
  `echo "camera-load $*" >> "$FAKE/calls"
case "$1" in
  cameras) echo '[{"id": 7, "status": 1, "fr_url": "http://cam/7"}]' > "\${@: -1}" ;;
  merge) exit 1 ;;
esac`,
);

describe('run-sharded.sh against a stand-in cluster', () => {
  const out = join(dir, 'out');
  let result: SpawnSyncReturns<string> | undefined;
  let calls: string[] = [];
  beforeAll(() => {
    const args = ['4', '2026-12-03T15:00:00Z', '--duration', '2m', '--threshold', 'fps.avg>=4', '--allow-partial'];
    result = spawnSync('bash', [script, ...args], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, FAKE: dir, CAMERA_LOAD: join(dir, 'camera-load'), OUT_DIR: out },
    });
    calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
  });

  it('publishes the fetched camera list as the ConfigMap the Job mounts, then replaces the Job', () => {
    expect(calls[0]).toBe(`camera-load cameras --output ${out}/cameras.json`);
    const map = validConfigMap(yamlDocuments(readFileSync(join(dir, 'applied-0.yaml'), 'utf8'))[0]);
    expect(JSON.parse(map.data?.['cameras.json'] ?? '')).toEqual([{ id: 7, status: 1, fr_url: 'http://cam/7' }]);
    expect(calls.indexOf('kubectl delete job camera-load --ignore-not-found --wait=true')).toBeGreaterThan(0);
    const job = validJob(yamlDocuments(readFileSync(join(dir, 'applied-1.yaml'), 'utf8'))[0]);
    expect(job.spec?.completions).toBe(4);
    expect(job.spec?.template.spec?.volumes?.[0]?.configMap?.name).toBe(map.metadata?.name);
    expect(flagValue(job.spec?.template.spec?.containers[0]?.args ?? [], '--duration')).toBe('2m');
  });

  it("keeps the last line of each index's newest pod, names the shards without a report, and exits with merge's code", () => {
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith('shard-'))
        .sort(),
    ).toEqual(['shard-1.json', 'shard-2.json']);
    expect(readFileSync(join(out, 'shard-1.json'), 'utf8')).toBe('{"from":"new"}\n');
    expect(readFileSync(join(out, 'shard-2.json'), 'utf8')).toBe('{"from":"1"}\n');
    expect(result?.stderr).toContain('shard 3: pod pod-2 printed no report');
    expect(result?.stderr).toContain('shard 4: no pod for index 3');
    expect(calls.at(-1)).toBe(`camera-load merge ${out}/shard-1.json ${out}/shard-2.json --output ${out}/merged.json --threshold fps.avg>=4 --allow-partial`);
    expect(result?.status).toBe(1);
  });
});

describe('run-sharded.sh', () => {
  it('is shellcheck-clean', () => {
    const check = spawnSync('shellcheck', [script], { encoding: 'utf8', timeout: 20_000 });
    expect(check.error).toBeUndefined();
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});
