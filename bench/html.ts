// What the HTML report costs at scale: 100, 1,000 and 10,000 streams. A real 3-second run against the simulator
// (some streams dropped, one refused) is the template; its streams are replicated with varied names, frame rates and
// errors, around a 5-minute timeline (300 rows) and 150 system samples, and the summary and analysis are recomputed
// from them as run does. Each report is rendered in Node (median of 3), its size set against the budget of
// 300 KB + 150 bytes per stream, and opened in the system Chromium from file:// (median of 3 fresh pages) from
// navigation start to body[data-rendered="true"], against the 2 s target; the 100-stream page is the same-run
// baseline. Run: npm run bench -- html
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadHtmlAssets } from '../src/files/html-assets.js';
import { renderHtmlReport } from '../src/html/render-html.js';
import type { SystemSample } from '../src/metrics/client-health.js';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { systemReport } from '../src/report/build-report.js';
import type { Report, ReportTimelineRow, StreamReport } from '../src/report/report-types.js';
import { concludeReport, round, summarize } from '../src/report/summarize.js';
import { parseThreshold } from '../src/report/thresholds.js';
import { seededRandom } from '../src/random.js';
import { startSimulator } from '../src/sim/simulator.js';
import { launchChromium, openFile, waitForRendered } from '../test/helpers/browser.js';

const SIZES = [100, 1_000, 10_000];
const RUN_SECONDS = 300;
const BUDGET_BYTES = (streams: number): number => 300_000 + 150 * streams;
const TARGET_MS = 2_000;
const REPEAT = 3;

/** A real report: 8 simulated cameras for 3 s, two of them dropping every 5 frames and one answering 503. */
export async function templateReport(dir: string): Promise<Report> {
  const sim = await startSimulator({
    cameras: 8,
    inactive: 0,
    fps: 5,
    frameBytes: 8_000,
    seed: 3,
    faults: { dropEveryFrames: { value: 5, share: 0.25 }, errorResponse: { value: 503, share: 0.125 } },
  });
  try {
    const output = join(dir, 'template.json');
    const args = [
      '--api-url',
      sim.apiUrl,
      '--max-streams',
      '8',
      '--duration',
      '3s',
      '--backoff-max',
      '500ms',
      '--output',
      output,
      '--log',
      join(dir, 'template.log'),
      '--quiet',
    ];
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/camera-load.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    if (code !== 0) throw new Error(`the template run exited ${code ?? 'on a signal'}`);
    return JSON.parse(readFileSync(output, 'utf8')) as Report;
  } finally {
    await sim.close();
  }
}

const SITES = ['North Plaza', 'Terminal 2', 'Depot', 'Harbour Gate', 'Main Street', 'Stadium', 'Campus East', 'Bridge 7'];
const SPOTS = ['entrance', 'lobby', 'gate A', 'gate B', 'car park level −1', 'loading bay', 'platform 3', 'café', 'corridor', 'exit'];

/** Stream `index` of a synthetic report, made from one of the template's streams. */
function syntheticStream(template: readonly StreamReport[], index: number, random: () => number, startMs: number): StreamReport {
  const base = structuredClone(template[index % template.length]!);
  const id = String(10_000 + index);
  const stream: StreamReport = {
    ...base,
    index,
    cameraId: id,
    name: `${SITES[index % SITES.length]!} – ${SPOTS[Math.floor(index / SITES.length) % SPOTS.length]!} #${index + 1}`,
    url: `http://cameras.example/fr/${id}/stream`,
  };
  const roll = random();
  if (roll < 0.01) {
    // Never opened: refused all along.
    const attempts = 6 + Math.floor(random() * 6);
    return {
      ...stream,
      opened: false,
      openAtEnd: false,
      frames: 0,
      bytes: 0,
      frameBytes: 0,
      fps: 0,
      uptime: 0,
      connectedSeconds: 0,
      timeToFirstByteMs: round(5 + random() * 20),
      timeToFirstFrameMs: null,
      reconnections: attempts - 1,
      stalls: 0,
      errors: { HTTP_503: attempts },
      lastError: { code: 'HTTP_503', message: 'HTTP 503 Service Unavailable', atSeconds: round(RUN_SECONDS - random() * 30) },
      frameGapMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      frameGapHistogram: template.find((s) => !s.opened)?.frameGapHistogram ?? base.frameGapHistogram,
    };
  }
  const fps = round(4.2 + random() * 0.85);
  const frames = Math.round(fps * RUN_SECONDS);
  const frameSize = 18_000 + Math.floor(random() * 6_000);
  const faulty = roll > 0.92;
  const reconnections = faulty ? 1 + Math.floor(random() * 12) : 0;
  const stalls = faulty && random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
  const errors: Record<string, number> = {};
  if (reconnections > stalls) errors[random() < 0.5 ? 'ECONNRESET' : 'ENDED'] = reconnections - stalls;
  if (stalls > 0) errors.STALL = stalls;
  const uptime = faulty ? round(0.85 + random() * 0.15, 4) : round(0.995 + random() * 0.005, 4);
  const gap = round(1000 / fps);
  return {
    ...stream,
    opened: true,
    openAtEnd: true,
    frames,
    frameBytes: frames * frameSize,
    bytes: frames * (frameSize + 80),
    fps,
    uptime,
    connectedSeconds: round(RUN_SECONDS * uptime),
    timeToFirstByteMs: round(4 + random() * 30),
    timeToFirstFrameMs: round(8 + random() * 60),
    reconnections,
    stalls,
    errors,
    lastError:
      reconnections > 0
        ? { code: stalls > 0 ? 'STALL' : 'ECONNRESET', message: stalls > 0 ? 'no data for 10 s' : 'socket hang up', atSeconds: round(random() * RUN_SECONDS) }
        : null,
    frameGapMs: {
      count: frames - 1,
      p50: gap,
      p95: round(gap * 1.1),
      p99: round(gap * (faulty ? 8 : 1.3)),
      max: round(faulty ? 10_000 + random() * 2_000 : gap * 1.6),
    },
    events: base.events.map((event) => ({ ...event, t: Math.round(startMs + event.t) })),
  };
}

/** The template's report, grown to `streams` streams over 300 s, with a 300-row timeline and 150 system samples. */
export function syntheticReport(template: Report, streams: number): Report {
  const random = seededRandom(streams);
  const startedAt = Date.parse(template.startedAt);
  const list = Array.from({ length: streams }, (_, i) => syntheticStream(template.streams, i, random, (i % 1_000) * 2));
  const timeline: ReportTimelineRow[] = Array.from({ length: RUN_SECONDS }, (_, i) => {
    const errors = random() < 0.15 ? 1 + Math.floor(random() * Math.max(1, streams / 200)) : 0;
    const errorsByCode: Record<string, number> = errors > 0 ? { ECONNRESET: errors } : {};
    // A 5 s ramp-up, then every stream open but the one or two reconnecting.
    const open = Math.min(streams, Math.round(((i + 1) * streams) / 5)) - (errors > 0 ? 1 : 0);
    const fps = open * 4.6 * (0.98 + random() * 0.02);
    return {
      t: i,
      at: startedAt + i * 1000,
      seconds: 1,
      openStreams: open,
      fps: round(fps, 1),
      bytesPerSecond: Math.round(fps * 21_000),
      reconnections: errors,
      errors,
      errorsByCode,
      freshFps: round(fps, 1),
      timestampedFrames: Math.round(fps),
      delayMsMean: round(2 + random() * 3, 1),
    };
  });
  const samples: SystemSample[] = Array.from({ length: RUN_SECONDS / 2 }, (_, i) => ({
    t: (i + 1) * 2,
    cpuPercent: round(15 + (streams / 10_000) * 30 + random() * 10, 1),
    processCpuPercent: round(5 + (streams / 10_000) * 60 + random() * 15, 1),
    memoryUsedBytes: Math.round(4e9 + random() * 1e8),
    memoryTotalBytes: 16e9,
    processRssBytes: Math.round(8e7 + streams * 50_000 + random() * 1e7),
    networkRxBytesPerSecond: Math.round(streams * 4.9 * 21_000 * (0.97 + random() * 0.03)),
    networkTxBytesPerSecond: Math.round(streams * 40 + random() * 1e4),
    eventLoopDelayP99Ms: round(8 + random() * 12, 1),
    eventLoopDelayMaxMs: round(20 + random() * 30, 1),
  }));
  const summary = summarize({
    cameras: { listed: streams + 40, active: streams + 20, skipped: 0 },
    streamsRequested: streams,
    streamsPerCamera: 1,
    targetDurationMs: RUN_SECONDS * 1000,
    durationMs: RUN_SECONDS * 1000 + 12,
    streams: list,
    health: { valid: true },
  });
  const { analysis: _analysis, thresholds: _thresholds, ...rest } = template;
  return concludeReport(
    {
      ...rest,
      endedAt: new Date(startedAt + RUN_SECONDS * 1000 + 12).toISOString(),
      config: { ...template.config, maxStreams: streams, durationSeconds: RUN_SECONDS },
      summary,
      streams: list,
      timeline,
      system: systemReport(samples),
    },
    ['fps.avg>=4', 'streams.opened_ratio>=0.99', 'frame_gap_ms.p99<=1000'].map(parseThreshold),
  );
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Records performance.now() (milliseconds from navigation start) when the page marks itself rendered. */
const RENDERED_PROBE = `(() => {
  const observer = new MutationObserver(() => {
    if (document.body && document.body.dataset.rendered === 'true') {
      globalThis.__renderedAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
})();`;

/** Navigation start → body[data-rendered="true"] in a fresh page (and context: nothing cached), in ms. */
async function timeToRendered(browser: Browser, file: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    const opened = await openFile(context, file, { initScript: RENDERED_PROBE, timeoutMs: 60_000 });
    await waitForRendered(opened.page, 60_000);
    const problems = [...opened.pageErrors, ...opened.consoleErrors, ...opened.externalRequests];
    if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
    return await opened.page.evaluate(() => (globalThis as unknown as { __renderedAt: number }).__renderedAt);
  } finally {
    await context.close();
  }
}

interface Row {
  streams: number;
  bytes: number;
  nodeMs: number;
  chromiumMs: number;
  chromiumRange: [number, number];
}

export async function runHtmlBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'camera-load-bench-html-'));
  let browser: Browser | undefined;
  try {
    const template = await templateReport(dir);
    let at = performance.now();
    const assets = await loadHtmlAssets();
    const assetsMs = performance.now() - at;
    const files: { streams: number; file: string; bytes: number; nodeMs: number }[] = [];
    for (const streams of SIZES) {
      const report = syntheticReport(template, streams);
      const times: number[] = [];
      let html = '';
      for (let i = 0; i < REPEAT; i++) {
        at = performance.now();
        html = renderHtmlReport(report, assets);
        times.push(performance.now() - at);
      }
      const file = join(dir, `report-${streams}.html`);
      writeFileSync(file, html);
      files.push({ streams, file, bytes: Buffer.byteLength(html), nodeMs: median(times) });
    }
    browser = await launchChromium();
    await timeToRendered(browser, files[0]!.file); // warm-up, not counted
    const rows: Row[] = [];
    for (const entry of files) {
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) times.push(await timeToRendered(browser, entry.file));
      rows.push({ ...entry, chromiumMs: median(times), chromiumRange: [Math.min(...times), Math.max(...times)] });
    }
    const kb = (bytes: number): string => (bytes / 1000).toFixed(0);
    const baseline = rows[0]!;
    const largest = rows.at(-1)!;
    return [
      `HTML report of a 5-minute run (300 timeline rows, 150 system samples), streams replicated from a real ${template.streams.length}-stream run; Chromium ${browser.version()} headless, file://, median of ${REPEAT} fresh pages; loading the assets took ${assetsMs.toFixed(0)} ms`,
      '| streams | HTML KB | budget KB | size ÷ budget | render in Node ms | Chromium to rendered ms (range) | ÷ 2 s target |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (row) =>
          `| ${row.streams.toLocaleString('en-US')} | ${kb(row.bytes)} | ${kb(BUDGET_BYTES(row.streams))} | ${(row.bytes / BUDGET_BYTES(row.streams)).toFixed(2)} | ${row.nodeMs.toFixed(0)} | ${row.chromiumMs.toFixed(0)} (${row.chromiumRange.map((ms) => ms.toFixed(0)).join('–')}) | ${(row.chromiumMs / TARGET_MS).toFixed(2)} |`,
      ),
      '',
      `Chromium, ${largest.streams.toLocaleString('en-US')} ÷ ${baseline.streams} streams (same-run baseline): ${(largest.chromiumMs / baseline.chromiumMs).toFixed(1)}×`,
      `${largest.bytes <= BUDGET_BYTES(largest.streams) ? '✓' : '✗'} ${largest.streams.toLocaleString('en-US')} streams within the size budget (${(largest.bytes / BUDGET_BYTES(largest.streams)).toFixed(2)})`,
      `${largest.chromiumMs <= TARGET_MS ? '✓' : '✗'} ${largest.streams.toLocaleString('en-US')} streams rendered in Chromium within 2 s (${(largest.chromiumMs / 1000).toFixed(2)} s)`,
    ].join('\n');
  } finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) console.log(await runHtmlBench());
