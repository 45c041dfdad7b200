import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parseAllDocuments } from 'yaml';

// What the issue asks of the sharded Job beyond what the Kubernetes schema can say. Each check returns
// problems (empty when fine) so that the tests can also show each one catching a broken manifest.

/** The YAML documents of a file; a syntax error throws. */
export function yamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS() as unknown;
  });
}

/** A Job checked against the Kubernetes OpenAPI schema (kubernetes-models throws on the first violations). */
export function validJob(doc: unknown): Job {
  const job = new Job(doc as IJob);
  job.validate();
  return job;
}

export function validConfigMap(doc: unknown): ConfigMap {
  const map = new ConfigMap(doc as IConfigMap);
  map.validate();
  return map;
}

/** The value after `flag` in an argument list (the last one: later flags win in camera-load). */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.lastIndexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Expands $(NAME) as the kubelet does, from the container's literal env values. */
function expand(arg: string, env: ReadonlyMap<string, string>): string {
  return arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env.get(name) ?? whole);
}

export function jobProblems(job: Job): string[] {
  const problems: string[] = [];
  const spec = job.spec;
  const pod = spec?.template.spec;
  const container = pod?.containers.find((c) => c.name === 'camera-load');
  if (!spec || !pod || !container) return ['no spec, pod spec or container named camera-load'];
  if (spec.completionMode !== 'Indexed') problems.push('completionMode is not Indexed');
  if (spec.completions === undefined || spec.completions < 1) problems.push('completions missing');
  if (spec.parallelism !== spec.completions) problems.push('parallelism differs from completions: shards would start apart');
  if (pod.restartPolicy !== 'Never') problems.push('restartPolicy is not Never: a crashed shard would restart late');

  const rules = spec.podFailurePolicy?.rules ?? [];
  const failsOnExit = rules.some(
    (r) => (r.action === 'FailIndex' || r.action === 'FailJob') && r.onExitCodes?.operator === 'NotIn' && r.onExitCodes.values.includes(0),
  );
  if (!failsOnExit) problems.push('podFailurePolicy does not stop a shard that exits non-zero from being retried');
  if (rules.some((r) => r.action === 'FailIndex') && spec.backoffLimitPerIndex !== 0) {
    problems.push('FailIndex without backoffLimitPerIndex 0: failed shards would be retried into a later start');
  }
  if (spec.backoffLimitPerIndex === undefined && (spec.backoffLimit ?? 6) > 0) problems.push('failed pods are retried (backoffLimit)');

  const env = new Map((container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])));
  const args = (container.args ?? []).map((a) => expand(a, env));
  if (args[0] !== 'run') problems.push('the container does not run `camera-load run`');
  if (flagValue(args, '--shards') !== String(spec.completions)) problems.push('--shards differs from completions');
  if (args.includes('--shard')) problems.push('--shard given: an Indexed Job takes its index with --shards');
  if (flagValue(args, '--output') !== '-') problems.push('the report is not printed to stdout (--output -): the script cannot collect it');
  if (!flagValue(args, '--start-at')) problems.push('no --start-at: shards would start when scheduled');
  for (const flag of ['--duration', '--max-streams']) if (!flagValue(args, flag)) problems.push(`no ${flag}`);

  // Live metrics: the annotated port must be the one camera-load listens on, on an address Prometheus reaches.
  const annotations = spec.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] === 'true') {
    if (flagValue(args, '--metrics-port') !== annotations['prometheus.io/port'])
      problems.push('prometheus.io/port differs from --metrics-port: Prometheus would scrape nothing');
    if (['127.0.0.1', 'localhost', '::1', undefined].includes(flagValue(args, '--metrics-host'))) {
      problems.push('--metrics-host is the loopback address (the default): Prometheus cannot reach the endpoint from outside the pod');
    }
  }

  const camerasFile = flagValue(args, '--cameras-file') ?? '';
  const mount = container.volumeMounts?.find((m) => camerasFile.startsWith(`${m.mountPath}/`));
  const volume = pod.volumes?.find((v) => v.name === mount?.name);
  if (!volume?.configMap) problems.push('--cameras-file is not read from a mounted ConfigMap');

  const user = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (user !== true || uid === 0) problems.push('not forced to run as non-root');
  if (!container.resources?.requests || !container.resources.limits) problems.push('no resource requests and limits');
  return problems;
}
