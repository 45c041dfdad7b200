import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl } from '../../src/redact.js';

describe('redaction', () => {
  it.each([
    ['https://cc.example.com/api/v1/camera/', 'https://cc.example.com/api/v1/camera/'],
    ['https://user:pa55@cam.example.com/fr/1', 'https://[REDACTED]@cam.example.com/fr/1'],
    ['http://cam/fr/1?token=abc&camera=2', 'http://cam/fr/1?token=[REDACTED]&camera=2'],
    ['http://cam/fr/1?Signature=x&key=y&auth=z&password=p', 'http://cam/fr/1?Signature=[REDACTED]&key=[REDACTED]&auth=[REDACTED]&password=[REDACTED]'],
    ['not a url', 'not a url'],
  ])('%s', (raw, redacted) => {
    expect(redactUrl(raw)).toBe(redacted);
  });

  it('keeps header names and hides every value', () => {
    expect(redactHeaders({ authorization: 'Bearer abc', 'x-api-key': 'k' })).toEqual({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
    });
  });
});
