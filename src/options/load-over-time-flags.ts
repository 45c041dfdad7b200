import { GROUP, type FlagSpec } from './flag-spec.js';

// The flags that shape the load over time (issue 30): k6's stages, the open model's arrival rate with its watch time
// and camera popularity, and reconnect storms; run's alone. Part of the flag table (flag-table.ts spreads them into
// FLAGS); parsed in stage-options.ts, arrival-options.ts and storm-options.ts.

/** The load-over-time flags, keyed by their option names. */
export const LOAD_OVER_TIME_FLAG_TABLE = {
  stages: {
    flags: '--stages <dur:n,...>',
    description: "ramp linearly to n concurrent streams over dur, stage after stage (k6's stages), e.g. 30s:100,2m:100,30s:500,1m:0",
    more:
      "The run lasts the stages' sum, so `--duration` and `--ramp-up` are refused beside it; `--max-streams`, when given, must be at least the " +
      'highest target, and nothing is asked at the prompt. Streams open are the target rounded up: a ramp down closes the last opened first. ' +
      'A stream closed by a stage is away on purpose: its fps and uptime leave that time out. See [load over time](load-over-time.md).',
    once: true,
    group: GROUP.load,
  },
  arrivalRate: {
    flags: '--arrival-rate <[dur:]rate,...>',
    description:
      'open model: new viewers per second (n/s) or minute (n/m), arriving at random (Poisson), for --duration, e.g. 20/s, 0.5/s or 90/m; or staged, e.g. 1m:5/s,5m:20/s',
    more:
      'Each viewer stays for its `--watch-time` (required), then leaves; `--max-streams` caps the viewers open at once. A staged rate holds each ' +
      "rate for its span (0/s allowed, a pause); the run lasts the spans' sum, so `--duration` is refused beside it. `--ramp-up` and `--stages` " +
      'are refused beside any rate: the rate sets the shape. Each span is a stage for thresholds, such as `fps.p5{stage:2}>=4.5` (a plain rate is ' +
      'stage 1). At most 10,000/s. See [load over time](load-over-time.md).',
    once: true,
    group: GROUP.load,
  },
  watchTime: {
    flags: '--watch-time <time>',
    description:
      'with --arrival-rate (required there): how long each arriving viewer stays: fixed (30s), exponential with that mean (exp:30s) or uniform between two (10s..60s)',
    more: "Every time is above 0 and no longer than the run; a viewer still watching at the run's end is closed with it.",
    once: true,
    group: GROUP.load,
  },
  cameraPopularity: {
    flags: '--camera-popularity <law>',
    description:
      "with --arrival-rate: which camera each arriving viewer opens: any alike (uniform), or by Zipf's law (zipf, or zipf:s with exponent s), e.g. zipf:1.2",
    defaultText: 'uniform',
    more:
      "Under Zipf's law the k-th camera in the plan's order is watched in proportion to 1/k^s (s: 1 when not given, above 0 and at most 10): " +
      'a few cameras take most viewers, as on a real site.',
    once: true,
    group: GROUP.load,
  },
  stormAt: {
    flags: '--storm-at <time[:immediate],...>',
    description: "a reconnect storm: at each time from the run's start the client drops every open stream at once, e.g. 2m or 2m,4m:immediate",
    more:
      'Each dropped stream reconnects under its usual backoff, or at once with `:immediate`. Recovery is reported per storm: the time until ' +
      '95% and all of the viewers open before it have a frame again, and the attempts and codes meanwhile. The time a stream is dropped on ' +
      "purpose is not the server's: its fps and uptime leave it out. See [load over time](load-over-time.md#reconnect-storms).",
    once: true,
    group: GROUP.load,
  },
} as const satisfies Record<string, FlagSpec>;
