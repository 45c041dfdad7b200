// The fixed cost of a run (bench/process.ts): in each round, the long and the 3 s run of the same client give its
// marginal cost of a GB; the 3 s run less its GB at that rate is what the run costs whatever its length. Then its
// parts, from one process running camera-load's engine phase by phase (bench/phases.ts).
import type { PhasesResult } from './phases.js';
import type { ClientKind, ClientRun } from './process-clients.js';
import { framesCell, gb, LABELS } from './process-format.js';
import { SHORT_SECONDS, type Round, type ScenarioResult } from './process-rounds.js';
import { check, median, spread } from './timing.js';

const FIXED_TARGET_CPU_SECONDS = 0.5;

interface Fixed {
  marginal: number;
  fixed: number;
}

function fixedOf(long: ClientRun | undefined, short: ClientRun | undefined): Fixed {
  if (!long || !short) return { marginal: NaN, fixed: NaN };
  const marginal = (long.cpuSeconds - short.cpuSeconds) / (gb(long) - gb(short));
  return { marginal, fixed: short.cpuSeconds - marginal * gb(short) };
}

const fixedRuns = (rounds: readonly Round[], kind: ClientKind): Fixed[] => rounds.map((r) => fixedOf(r.long[kind], r.short[kind]));

export function formatFixed(result: ScenarioResult): string {
  const { streams } = result.scenario;
  const kinds = (result.rounds[0]?.order ?? []).filter((k) => k !== 'bare+flags');
  const lines = [
    `**Fixed cost of a run: ${streams.toLocaleString('en-US')} streams for ${SHORT_SECONDS} s, whole processes, less its streaming**`,
    '',
    `Each round: marginal CPU-s per GB = (long run − ${SHORT_SECONDS} s run) ÷ (their GB); fixed cost = the ${SHORT_SECONDS} s run − its GB at that rate.`,
    '',
    `| round | client | CPU-s, ${SHORT_SECONDS} s run | wall s | GB read | marginal CPU-s per GB | fixed cost (CPU-s) | exit | frames counted / sent |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of result.rounds) {
    kinds.forEach((kind, i) => {
      const short = r.short[kind];
      const { marginal, fixed } = fixedOf(r.long[kind], short);
      lines.push(
        `| ${i === 0 ? r.round : ''} | ${LABELS[kind]} | ${short?.cpuSeconds.toFixed(2) ?? ''} | ${short?.wallSeconds.toFixed(1) ?? ''} | ${gb(short).toFixed(2)} | ` +
          `${marginal.toFixed(2)} | ${fixed.toFixed(2)} | ${short?.code ?? ''} | ${framesCell(short, streams)} |`,
      );
    });
  }
  const bare = fixedRuns(result.rounds, 'bare').map((f) => f.fixed);
  lines.push('');
  for (const kind of kinds.filter((k) => k !== 'bare')) {
    const own = fixedRuns(result.rounds, kind).map((f) => f.fixed);
    const beyond = own.map((f, i) => f - (bare[i] ?? NaN));
    const short = result.rounds.map((r) => r.short[kind]);
    lines.push(
      `${LABELS[kind]}: fixed cost ${median(own).toFixed(2)} CPU-s${spread(own)} against the bare client's ${median(bare).toFixed(2)}${spread(bare)}; ` +
        `first frames of the ${SHORT_SECONDS} s run p50 ${median(short.map((s) => s?.firstFrameP50Ms ?? NaN)).toFixed(0)} ms, max ${median(short.map((s) => s?.firstFrameMaxMs ?? NaN)).toFixed(0)} ms.`,
      '',
      check(
        median(beyond) <= FIXED_TARGET_CPU_SECONDS,
        `${LABELS[kind]}'s fixed cost ${median(beyond).toFixed(2)} CPU-s beyond the bare client's${spread(beyond)} (median of the rounds' differences; target ≤ ${FIXED_TARGET_CPU_SECONDS} CPU-s)`,
      ),
      '',
    );
  }
  return [...lines, ...(result.parts ? formatParts(result.parts) : [])].join('\n');
}

function formatParts(p: PhasesResult): string[] {
  const streamingPerGb = p.streaming.cpuSeconds / (p.streaming.bytes / 1e9);
  const beyond = (phase: PhasesResult['connecting']): number => phase.cpuSeconds - (phase.bytes / 1e9) * streamingPerGb;
  const ms = (s: number): string => (s * 1000).toFixed(0);
  const row = (label: string, cpu: number, wall: number, note: string): string =>
    `| ${label} | ${ms(cpu)} | ${Number.isNaN(wall) ? '' : wall.toFixed(2)} | ${note} |`;
  return [
    `Its parts, one process running camera-load's engine phase by phase against the same server (CPU of each phase, less its bytes at the streaming rate of ${streamingPerGb.toFixed(2)} CPU-s per GB):`,
    '',
    '| part | CPU ms | wall s | what |',
    '|---|---:|---:|---|',
    row(
      'start-up',
      p.startUp.cpuSeconds,
      p.startUp.wallSeconds,
      "Node and the `run` command's modules, in one process (the launcher is a second Node start: see --version below)",
    ),
    row(
      'connecting',
      beyond(p.connecting),
      p.connecting.wallSeconds,
      `until every stream has its first frame (p50 ${p.firstFrameMs.p50.toFixed(0)} ms, max ${p.firstFrameMs.max.toFixed(0)} ms)`,
    ),
    row('report building', p.reportBuild.cpuSeconds, p.reportBuild.wallSeconds, "buildReport: every stream's figures and histogram, the summary"),
    row('report JSON', p.reportJson.cpuSeconds, p.reportJson.wallSeconds, `JSON.stringify of the report (${(p.reportJson.bytes / 1e6).toFixed(1)} MB)`),
    row('teardown', beyond(p.teardown), p.teardown.wallSeconds, 'from the stop to the last stream closed and the dispatcher destroyed'),
    row(
      'sampler',
      p.samplerCpuSecondsPerSample * (SHORT_SECONDS / 2 + 1),
      NaN,
      `one system sample ${ms(p.samplerCpuSecondsPerSample)} ms, ${SHORT_SECONDS / 2 + 1} in a ${SHORT_SECONDS} s run`,
    ),
  ];
}
