import { DEFAULTS } from './defaults.js';
import { GROUP, type FlagSpec } from './flag-spec.js';

// The flags of the viewer groups (issue 29) and of the seed that picks their members: run's alone. Part of the flag
// table (flag-table.ts spreads them into FLAGS); parsed in viewer-options.ts.

/** Who is in a viewer group, and when it begins: said once, at --slow-viewers, in the reference. */
const GROUP_MEMBERS =
  'The share is of the planned streams, decimals allowed (2.5%); the groups together take at most 100%, the rest are normal viewers, ' +
  'who read as fast as they can. Membership is seeded (`--seed`), spread across the cameras, and the same in every shard. ' +
  'The group begins after the `--lead-in`; until then its viewers read as normal ones do.';
const AS_SLOW = 'Its share, members and start as for `--slow-viewers`.';
const ON_PURPOSE = 'Viewers that stop reading on purpose are never counted as stalls or reconnected by camera-load.';

/** The viewer-group flags, keyed by their option names. */
export const VIEWER_FLAG_TABLE = {
  slowViewers: {
    flags: '--slow-viewers <share@rate>',
    description: 'this share of the streams reads at most this rate, e.g. 20%@1Mbps (bps, kbps, Mbps, Gbps, B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s)',
    more:
      'Rates are decimal (1 kbps = 1,000 bit/s, 1 KB/s = 1,000 B/s) but for KiB/s and MiB/s; bits are a lower-case `bps` ' +
      '(`MBps` is refused as ambiguous); 1 B/s at least. A viewer slower than its stream is one the server must queue for, ' +
      `drop frames for, or disconnect. ${GROUP_MEMBERS}`,
    once: true,
    group: GROUP.viewers,
  },
  pausingViewers: {
    flags: '--pausing-viewers <share@pause/every>',
    description: 'this share of the streams stops reading for PAUSE every EVERY, e.g. 5%@20s/60s (the pause shorter than its period)',
    more: `${AS_SLOW} ${ON_PURPOSE}`,
    once: true,
    group: GROUP.viewers,
  },
  stuckViewers: {
    flags: '--stuck-viewers <share>',
    description: 'this share of the streams reads its first frame, then never again once the groups begin, e.g. 10%',
    more: `${AS_SLOW} ${ON_PURPOSE}`,
    once: true,
    group: GROUP.viewers,
  },
  leadIn: {
    flags: '--lead-in <time>',
    description: "when the viewer groups begin, from the run's start; until then every viewer reads as fast as it can (the normal viewers' baseline)",
    defaultText: 'a quarter of --duration, not before --ramp-up ends, 1 s at least',
    more:
      'Only with a viewer group. It cannot end before the ramp-up does (the baseline needs every stream started), ' +
      'and it must leave at least 1 s of `--duration` after it.',
    once: true,
    group: GROUP.viewers,
  },
  seed: {
    flags: '--seed <n>',
    description: 'seeds every random choice of the plan: which streams fall in which viewer group, and the backoff jitter (0 to 4294967295)',
    defaultText: DEFAULTS.seed,
    more: 'Fixed by default, so every shard of a sharded run makes the same plan without being told; give another seed for another draw.',
    once: true,
    group: GROUP.viewers,
  },
} as const satisfies Record<string, FlagSpec>;
