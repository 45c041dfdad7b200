// The analysis of the cases a new user meets in the first hour (issue 27): dead URLs, a page where a stream should
// be, credentials wanted, a server at capacity, a healthy run. Each fact said once, each sentence ended once, and
// advice that fits the case.
import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { newParserCounters } from '../../src/mjpeg/parser-types.js';
import { ERROR_CODES, explainErrorCode } from '../../src/report/error-codes.js';
import type { Analysis } from '../../src/report/report-types.js';
import { STREAM_CREDENTIALS } from '../../src/text/credentials.js';
import { sentence } from '../../src/text/sentence.js';
import { testReport } from '../helpers/run-plan.js';
import type { EndCode } from '../../src/end-codes.js';

const RUN_MS = 10_000;

interface StreamCase {
  /** Frames at 5 fps from 100 ms on; 0: it never delivered one. */
  frames?: number;
  /** Codes that ended its connections, one attempt each (a stream retried after each). */
  errors?: EndCode[];
  /** Of its frames, those that repeated the picture before. */
  repeated?: number;
  corrupt?: number;
}

function stream(index: number, c: StreamCase): StreamStats {
  const s = new StreamStats(index, String(100 + index), `Camera ${100 + index}`, `http://cam/${index}/stream`);
  s.scheduled(0);
  for (let attempt = 0; attempt <= (c.errors?.length ?? 0); attempt++) s.attemptStarted(0);
  s.requestSent(0);
  const frames = c.frames ?? 0;
  if (frames > 0) {
    s.responseStarted(20, 200);
    s.bytesReceived(0, () => 30);
    s.connectionOpened(20);
  }
  for (let i = 0; i < frames; i++) s.frame(1_000, 100 + i * 200, i > 0 && i <= (c.repeated ?? 0));
  (c.errors ?? []).forEach((code, i) => {
    s.error(code, 'gone', 200 + i * 500);
  });
  const counters = { ...newParserCounters(), corruptFrames: c.corrupt ?? 0, corruptNoSoi: c.corrupt ?? 0 };
  s.parserFinished({ counters, boundaryMismatch: undefined, invalidTimestamps: 0, timestampSource: undefined });
  return s;
}

function analysisOf(streams: StreamCase[], requested = streams.length, cameras = streams.length): Analysis {
  const outcome = {
    startedAt: new Date(0),
    endedAt: new Date(RUN_MS),
    elapsedMs: RUN_MS,
    interrupted: false,
    streams: streams.map((c, i) => stream(i, c)),
    timeline: [],
    system: [],
  };
  return testReport(outcome, RUN_MS, { requested, cameras }).analysis;
}

const times = (n: number, code: EndCode): EndCode[] => Array.from({ length: n }, () => code);
const HEALTHY = { frames: 50 };

/** Every sentence of the analysis, as the summary lists them. */
const lines = (a: Analysis): string[] => [a.assessment, ...a.warnings, ...a.recommendations];

const MEANINGS = [
  ...Object.values(ERROR_CODES).map((info) => info.meaning),
  ...['401', '403', '404', '429', '503'].map((status) => explainErrorCode(`HTTP_${status}`).meaning),
];

/**
 * The facts a reader takes from the sentences: code counts ("ECONNREFUSED ×9"), counted things with the two words
 * after them that say what was counted ("3 streams never delivered", "12 times in all"), and what a code means
 * ("connection refused"): each said once.
 */
function facts(text: string): string[] {
  const counts = text.match(/[A-Z][A-Z0-9_]+ ×\d+/g) ?? [];
  const amounts = text.match(/(?<![\w.×])\d[\d,.]*(?: of \d[\d,.]*)? [\w/-]+(?: [\w/-]+){0,2}/g) ?? [];
  const meanings = MEANINGS.filter((meaning) => text.includes(meaning));
  return [...counts, ...amounts, ...meanings];
}

const CASES: { case: string; analysis: Analysis; assessment: string | RegExp; says?: RegExp[]; never?: RegExp[] }[] = [
  {
    case: 'two --url to a closed port, four streams asked for',
    analysis: analysisOf([{ errors: times(5, 'ECONNREFUSED') }, { errors: times(4, 'ECONNREFUSED') }], 4),
    assessment: 'No stream delivered a frame: connection refused (ECONNREFUSED).',
    says: [/^ECONNREFUSED: the host and port of the stream URL; is the server running\?$/],
    // More streams of cameras that do not answer measure nothing: not the advice here.
    never: [/--streams-per-camera/, /reconnected/],
  },
  {
    case: 'a URL that answers an HTML page',
    analysis: analysisOf([{ errors: times(5, 'NOT_MULTIPART') }, { errors: times(4, 'NOT_MULTIPART') }]),
    assessment: 'No stream delivered a frame: the answer is not a multipart stream (no delimiter found) (NOT_MULTIPART).',
    says: [/^NOT_MULTIPART: the URL points at the stream, not a page or a snapshot\.$/],
    never: [/answered something other than/],
  },
  {
    case: 'streams that answer 401',
    analysis: analysisOf([{ errors: times(5, 'HTTP_401') }, { errors: times(5, 'HTTP_401') }]),
    assessment: 'No stream delivered a frame: the server answered HTTP 401 (HTTP_401).',
    says: [new RegExp(`^HTTP_401: credentials: ${escape(STREAM_CREDENTIALS)}\\.$`)],
  },
  {
    case: 'one stream of three forbidden (403), the others healthy',
    analysis: analysisOf([HEALTHY, { errors: times(3, 'HTTP_403') }, HEALTHY]),
    assessment: '2 of 3 streams opened, at 4.95 fps per opened stream on average.',
    says: [
      /^1 stream never delivered a frame: the server answered HTTP 403 \(HTTP_403\)\.$/,
      new RegExp(`^HTTP_403: credentials that may see the stream: ${escape(STREAM_CREDENTIALS)}\\.$`),
    ],
  },
  {
    case: 'a healthy stream that later answered 401 on a reconnection: the credentials named once, by the general advice',
    analysis: analysisOf([{ frames: 40, errors: ['HTTP_401'] }, HEALTHY]),
    assessment: 'All 2 streams opened, at 4.44 fps per stream on average.',
    says: [
      /^1 stream reconnected after opening, 1 time in all \(HTTP_401 ×1\)\.$/,
      new RegExp(`^Streams answered 401/403: give them credentials: ${escape(STREAM_CREDENTIALS)}\\.$`),
    ],
  },
  {
    case: 'a server at capacity: one stream served, three refused (503)',
    analysis: analysisOf([HEALTHY, { errors: times(4, 'HTTP_503') }, { errors: times(4, 'HTTP_503') }, { errors: times(4, 'HTTP_503') }]),
    assessment: '1 of 4 streams opened, at 4.95 fps per opened stream on average.',
    says: [
      /^3 streams never delivered a frame: the server answered HTTP 503 \(HTTP_503\)\.$/,
      /looks capped there\. `camera-load max` finds the highest stable level\.$/,
    ],
    never: [/^HTTP_503:/],
  },
  {
    case: 'streams that dropped and reconnected, with corrupt frames and repeated pictures',
    analysis: analysisOf([
      { frames: 50, errors: ['ECONNRESET', 'ECONNRESET', 'STALL'], corrupt: 2 },
      { frames: 50, repeated: 10 },
    ]),
    assessment: 'All 2 streams opened, at 4.95 fps per stream on average. But the pictures were not fresh: repeated pictures.',
    says: [
      /^1 stream reconnected after opening, 3 times in all \(ECONNRESET ×2, STALL ×1\)\.$/,
      /^1 stall: /,
      /^2 corrupt frames received/,
      /^10 of 100 frames repeated the picture before on 1 stream: fresh fps per stream /,
    ],
  },
  {
    case: 'one healthy stream: "the 1 stream", not "all 1 stream"',
    analysis: analysisOf([HEALTHY]),
    assessment: 'The 1 stream opened and stayed up for 10 s at 4.95 fps per stream on average, with no reconnections.',
    never: [/./],
  },
  {
    case: 'a healthy run',
    analysis: analysisOf([HEALTHY, HEALTHY, HEALTHY]),
    assessment: 'All 3 streams opened and stayed up for 10 s at 4.95 fps per stream on average, with no reconnections.',
    never: [/./],
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the analysis: each fact once, each sentence ended once, advice that fits', () => {
  it.each(CASES)('$case', ({ analysis, assessment, says = [], never = [] }) => {
    if (typeof assessment === 'string') expect(analysis.assessment).toBe(assessment);
    else expect(analysis.assessment).toMatch(assessment);
    const all = lines(analysis);
    for (const line of all) {
      expect(line, line).toMatch(/[^.?!][.?!]$/);
      expect(line, line).not.toMatch(/\?\.|\.\.|!\.|[.?!] *[.?!]$/);
    }
    const said = all.flatMap(facts);
    const repeated = said.filter((figure, i) => said.indexOf(figure) !== i);
    expect(repeated, JSON.stringify(all, null, 1)).toEqual([]);
    const advice = [...analysis.warnings, ...analysis.recommendations];
    for (const pattern of says)
      expect(
        advice.filter((line) => pattern.test(line)),
        `${String(pattern)} in ${JSON.stringify(advice, null, 1)}`,
      ).toHaveLength(1);
    for (const pattern of never) expect(advice.filter((line) => pattern.test(line))).toEqual([]);
    // The ways to give credentials are named at most once, whichever of 401 and 403 was seen.
    expect(all.filter((line) => line.includes(STREAM_CREDENTIALS)).length).toBeLessThanOrEqual(1);
  });
});

describe('sentence: one stop at the end, whatever the parts ended with', () => {
  it.each([
    ['the host and port; is the server running?', 'the host and port; is the server running?'],
    ['connection refused', 'connection refused.'],
    ['connection refused.', 'connection refused.'],
    ['stop!  ', 'stop!'],
  ])('%j', (text, expected) => {
    expect(sentence(text)).toBe(expected);
  });
});
