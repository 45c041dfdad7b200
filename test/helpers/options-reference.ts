import { COMMANDS, type CommandInfo } from '../../src/commands/catalog.js';
import type { FlagSpec } from '../../src/options/flags.js';

// docs/options.md, drawn from the flag table (src/options/flags.ts, src/options/simulate-options.ts) and the
// command catalog: the same texts `--help` shows, with the sentences only the reference has (`more`).

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function shownDefault(spec: FlagSpec): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (typeof spec.default === 'string') return `\`${spec.default}\``;
  return '';
}

function meaning(spec: FlagSpec): string {
  const line = `${spec.description.charAt(0).toUpperCase()}${spec.description.slice(1)}.`;
  return spec.more === undefined ? line : `${line} ${spec.more}`;
}

function commandSection(info: CommandInfo): string[] {
  const usage = `camera-load ${info.name} [options]${(info.arguments ?? []).map((a) => ` ${a.name}`).join('')}`;
  const lines = [`## camera-load ${info.name}`, '', `\`${usage}\`: ${info.description}.`, ''];
  const groups = new Map<string, FlagSpec[]>();
  for (const spec of info.flags) groups.set(spec.group ?? 'Options:', [...(groups.get(spec.group ?? 'Options:') ?? []), spec]);
  for (const [group, specs] of groups) {
    lines.push(`**${group.replace(/:$/, '')}**`, '', '| option | default | meaning |', '|---|---|---|');
    for (const spec of specs) lines.push(`| \`${spec.flags}\` | ${cell(shownDefault(spec))} | ${cell(meaning(spec))} |`);
    lines.push('');
  }
  return lines;
}

const ENVIRONMENT = [
  '## Environment',
  '',
  '| variable | read by | meaning |',
  '|---|---|---|',
  '| `CAMERA_API_TOKEN` | run, max, cameras | sent as `Authorization: Bearer …` to the API and the streams on its origin, as `--header` is: the token stays out of argv |',
  '| `CAMERA_AUTH` | run, max, cameras | `user:password` for cameras that ask for Basic or Digest auth, as `--camera-auth` |',
  "| `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` | run, max, cameras | the proxy, as curl reads them, unless `--proxy` is given (`--proxy ''`: none) |",
  '| `JOB_COMPLETION_INDEX` | run with `--shards` | the 0-based shard index a Kubernetes Indexed Job sets |',
  '| `GITHUB_STEP_SUMMARY` | run, merge | the file a Markdown summary is appended to, as GitHub Actions sets it |',
  '| `CI` | every command | `true`: plain lines, no live progress, even on a terminal; never a prompt |',
  '| `CAMERA_LOAD_NO_RELAUNCH` | run, max | `1`: run in this process, without the V8 flags camera-load starts Node again with |',
  '',
];

export function renderOptionsReference(): string {
  const header = [
    '# Options',
    '',
    "Every command's options, as `camera-load <command> --help` shows them, with the details the help leaves out.",
    'Back to the [README](../README.md).',
    '',
    '<!-- Generated from src/options/flags.ts and src/options/simulate-options.ts: edit those, then run',
    '     `npx vitest run test/unit/options-reference.test.ts -u`. A test fails while this page and the flags disagree. -->',
    '',
    'Times take `300` (seconds), `90s`, `5m`, `1h`; `--debug` (any command) adds stack traces to errors.',
    '',
  ];
  const sections = Object.values(COMMANDS).flatMap((info: CommandInfo) => commandSection(info));
  return [...header, ...sections, ...ENVIRONMENT].join('\n');
}
