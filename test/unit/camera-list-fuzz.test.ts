import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCameraList } from '../../src/cameras/parse-camera-list.js';
import { CameraSourceError } from '../../src/errors.js';

// A camera API answer is input from outside: whatever JSON it holds (prototype keys, types swapped, huge numbers,
// nesting), parsing it ends in a list of plain cameras or a named refusal (CameraSourceError with a code, exit 3).
// Fixed seed in CI; FUZZ_RUNS=20000 locally for more.

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'results', 'data', 'cameras', 'next', 'id', 'name', 'status', 'fr_url');
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, true, 1, '1', -1, 1e308, 2 ** 53 + 1, '', 'http://cam/1', 'javascript:x', 'file:///etc/passwd', '\u0000\u001b[31m'),
    fc.string(),
    fc.array(tie('any'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string()), tie('any'), { maxKeys: 6 }),
  ),
})).any;
const camera = fc.record(
  {
    id: value,
    name: value,
    status: fc.oneof(fc.constantFrom<unknown>(1, '1', true, 0), value),
    fr_url: fc.oneof(fc.constant('http://127.0.0.1:9/fr/1'), value),
  },
  { requiredKeys: [] },
);
const answer = fc.oneof(
  value,
  fc.array(camera, { maxLength: 8 }),
  fc.record({ results: fc.oneof(fc.array(camera, { maxLength: 8 }), value), next: fc.oneof(value, fc.constant('?page=2')) }, { requiredKeys: [] }),
);

describe('camera API answers from outside', () => {
  it('parse to plain cameras or a named refusal, whatever JSON they hold', () => {
    fc.assert(
      fc.property(answer, (raw) => {
        // Through JSON, as the answer arrives: __proto__ becomes an own key, as JSON.parse makes it.
        const body: unknown = (JSON.parse(JSON.stringify({ body: raw })) as { body?: unknown }).body ?? null;
        try {
          const page = parseCameraList(body, 'GET http://api/', 'http://api/');
          for (const c of page.cameras) {
            expect(typeof c.id).toBe('string');
            expect(typeof c.name).toBe('string');
            expect(c.streamUrl).toMatch(/^https?:\/\//);
            expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
          }
          expect(page.listed).toBeGreaterThanOrEqual(page.active);
        } catch (error) {
          if (!(error instanceof CameraSourceError)) throw error;
          expect(error.code).toMatch(/^API_|^FILE_/);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500), seed: 26 },
    );
  });
});
