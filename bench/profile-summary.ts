// Reads V8 CPU profiles (`node --cpu-prof`, or the e2e bench's --profile) and prints where the time went: the
// functions with the most self time, and the self time per package (undici, hdr-histogram-js, pino, …) and per
// camera-load folder. Run: npm run bench -- profile FILE.cpuprofile [FILE ...]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** Function name and where it is. */
  name: string;
  /** Where it lives: a package, a camera-load folder, node's own code, GC, or idle. */
  area: string;
  ms: number;
}

/** Where a script URL lives: `undici`, `camera-load src/run`, `node:internal`, … */
export function areaOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 and native (program)';
    return 'native';
  }
  if (url.startsWith('node:')) return 'node:internal';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  const dist = /\/(?:dist|dist-bench)\/(?:src\/)?(.*)$/.exec(url);
  if (dist?.[1] !== undefined) {
    const parts = dist[1].split('/');
    return parts.length > 1 ? `camera-load ${parts[0] ?? ''}/` : 'camera-load (root files)';
  }
  return url;
}

/** Self time of every function (ms), summed over its nodes; the profile's samples weighted by their time deltas. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next one.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    ms.set(id, (ms.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const byName = new Map<string, SelfTime>();
  for (const [id, time] of ms) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url === '' ? '' : `${basename(url)}:${lineNumber + 1}`}`.trim();
    const entry = byName.get(name) ?? { name, area: areaOf(url, functionName), ms: 0 };
    entry.ms += time;
    byName.set(name, entry);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

export function summarizeProfiles(files: readonly string[], top = 15): string {
  if (files.length === 0) return 'profile: give one or more .cpuprofile files (node --cpu-prof --cpu-prof-dir DIR …, or e2e --profile DIR).';
  const out: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const times = selfTimes(profile);
    const busy = times.filter((t) => t.area !== 'idle');
    const total = busy.reduce((sum, t) => sum + t.ms, 0);
    const areas = new Map<string, number>();
    for (const t of busy) areas.set(t.area, (areas.get(t.area) ?? 0) + t.ms);
    const pct = (ms: number): string => `${((ms / total) * 100).toFixed(1)}%`;
    out.push(
      `**${basename(file)}**: ${(total / 1000).toFixed(2)} s of samples, not idle (${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled)`,
      '',
      '| self time by area | ms | share |',
      '|---|---:|---:|',
      ...[...areas.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([area, ms]) => `| ${area} | ${ms.toFixed(0)} | ${pct(ms)} |`),
      '',
      '| function (self time) | area | ms | share |',
      '|---|---|---:|---:|',
      ...busy.slice(0, top).map((t) => `| \`${t.name}\` | ${t.area} | ${t.ms.toFixed(0)} | ${pct(t.ms)} |`),
      '',
    );
  }
  return out.join('\n');
}
