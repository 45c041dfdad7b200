import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { parseCameraList } from '../../src/cameras/parse-camera-list.js';
import { camerasFileText, renderCameras } from '../../src/render/cameras.js';

const camera = (i: number): Camera => ({ id: `cam-${i}`, name: `Camera ${i}`, streamUrl: `http://127.0.0.1:8080/fr/${i}/stream` });

describe('camera-load cameras: the table and the file', () => {
  it('shows the counts, the first 20 cameras and how many more', () => {
    const cameras = Array.from({ length: 23 }, (_, i) => camera(i + 1));
    const text = renderCameras({
      cameras,
      listed: 30,
      active: 25,
      skipped: [
        { id: '7', reason: 'no fr_url' },
        { id: '9', reason: 'no fr_url' },
      ],
      origin: 'http://api.local/',
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^23 cameras .* \(30 listed, 25 active, 2 skipped/);
    expect(lines.filter((l) => /cam-\d+/.test(l))).toHaveLength(20);
    expect(text).toContain('cam-20');
    expect(text).not.toContain('cam-21');
    expect(text).toContain('… and 3 more');
    expect(text).toContain('Skipped 7: no fr_url');
  });

  it('hides secrets in the URLs and the origin, and prints no control characters', () => {
    const text = renderCameras({
      cameras: [{ id: 'a\u001b[31m', name: 'n\nm', streamUrl: 'http://127.0.0.1/x?token=s3cret&cam=1' }],
      listed: 1,
      active: 1,
      skipped: [],
      origin: 'http://user:pa55@api.local/',
    });
    expect(text).not.toMatch(/s3cret|pa55/);
    // eslint-disable-next-line no-control-regex -- the point is that none is left
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('the file is read back by --cameras-file as the same cameras, in the same order', () => {
    const arbitraryCamera = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
      name: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9 ]{0,20}[A-Za-z0-9])?$/),
      path: fc.stringMatching(/^[a-z0-9/]{0,12}$/),
    });
    fc.assert(
      fc.property(fc.array(arbitraryCamera, { maxLength: 30 }), (items) => {
        const cameras = items.map(({ id, name, path }) => ({ id, name, streamUrl: new URL(`http://127.0.0.1:9000/${path}`).toString() }));
        const back = parseCameraList(JSON.parse(camerasFileText(cameras)) as unknown, 'file', 'http://invalid.local/');
        expect(back.cameras).toEqual(cameras);
        expect(back).toMatchObject({ listed: cameras.length, active: cameras.length, skipped: [] });
      }),
      { numRuns: 100 },
    );
  });
});
