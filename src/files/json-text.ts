// A report's JSON written as it is made. At 10,000 streams `JSON.stringify(report, null, 2)` is a 22 MB string,
// held as 45 MB once one character outside Latin-1 (a "≥" in a reason) makes it two-byte, flattened into a second
// 45 MB copy to be encoded, and encoded into a 22 MB Buffer: over 100 MB at the run's end, its peak. In pieces,
// the largest piece is a few hundred streams' entries.

/** Containers this deep are walked here; deeper ones are JSON.stringify's, a run of an array's elements at a time. */
const WALKED_DEPTH = 2;
/** An array's elements given to JSON.stringify at once: about 0.6 MB of a report's streams. */
const RUN_LENGTH = 256;

type Container = { kind: 'array'; value: readonly unknown[] } | { kind: 'object'; value: Record<string, unknown> };

interface Layout {
  space: number;
  gap: string;
}

/** An array or an object JSON.stringify would walk; undefined for what it writes as one value (boxed primitives too). */
function containerOf(value: unknown): Container | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return { kind: 'array', value };
  if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) return undefined;
  return { kind: 'object', value: value as Record<string, unknown> };
}

const hasToJson = (value: unknown): value is { toJSON: (key: string) => unknown } =>
  ((typeof value === 'object' && value !== null) || typeof value === 'bigint') && typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** The value written for `key`: its toJSON's, called with the key, as JSON.stringify does. */
const jsonValue = (value: unknown, key: string): unknown => (hasToJson(value) ? value.toJSON(key) : value);

/** What JSON.stringify writes nothing for (an object leaves out the key, an array writes null). */
const isNothing = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** The length of `[` and its line break, at each of `depth` levels; the end's is the same less the innermost indent. */
const openingLength = (layout: Layout, depth: number): number => {
  let length = 0;
  for (let level = 1; level <= depth; level++) length += 1 + (layout.gap === '' ? 0 : 1 + layout.gap.length * level);
  return length;
};

/**
 * Values at `depth` as JSON.stringify writes them there, separated as in an array: stringified inside as many
 * arrays as their depth, whose brackets are cut off, so that their lines are indented as they will stand. A
 * value is given whole only when it has no toJSON of its own, which would be called with the wrong key.
 */
function wholeRun(values: readonly unknown[], layout: Layout, depth: number): string {
  let wrapped: unknown = values;
  for (let level = 1; level < depth; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, layout.space);
  return text.slice(openingLength(layout, depth), text.length - (openingLength(layout, depth) - layout.gap.length * depth));
}

/** A value's text at `depth` (already through its toJSON), in pieces, or undefined when JSON.stringify writes none. */
function valuePieces(value: unknown, layout: Layout, depth: number, open: Set<object>): Iterable<string> | undefined {
  if (isNothing(value)) return undefined;
  const container = containerOf(value);
  // A value a toJSON made is walked when it has a toJSON too: JSON.stringify would call that one again.
  if (container === undefined || (depth >= WALKED_DEPTH && !hasToJson(value)))
    return [depth === 0 ? JSON.stringify(value, null, layout.space) : wholeRun([value], layout, depth)];
  if (open.has(container.value)) throw new TypeError('Converting circular structure to JSON');
  return container.kind === 'array' ? arrayPieces(container.value, layout, depth, open) : objectPieces(container.value, layout, depth, open);
}

function* arrayPieces(array: readonly unknown[], layout: Layout, depth: number, open: Set<object>): Generator<string> {
  if (array.length === 0) {
    yield '[]';
    return;
  }
  open.add(array);
  const inner = `\n${layout.gap.repeat(depth + 1)}`;
  yield layout.gap === '' ? '[' : `[${inner}`;
  for (let i = 0; i < array.length;) {
    if (i > 0) yield layout.gap === '' ? ',' : `,${inner}`;
    let end = i;
    while (depth + 1 >= WALKED_DEPTH && end < array.length && end - i < RUN_LENGTH && !hasToJson(array[end])) end++;
    if (end > i) {
      yield wholeRun(array.slice(i, end), layout, depth + 1);
      i = end;
      continue;
    }
    yield* valuePieces(jsonValue(array[i], String(i)), layout, depth + 1, open) ?? ['null'];
    i++;
  }
  open.delete(array);
  yield layout.gap === '' ? ']' : `\n${layout.gap.repeat(depth)}]`;
}

function* objectPieces(object: Record<string, unknown>, layout: Layout, depth: number, open: Set<object>): Generator<string> {
  open.add(object);
  const inner = `\n${layout.gap.repeat(depth + 1)}`;
  let written = 0;
  for (const key of Object.keys(object)) {
    const pieces = valuePieces(jsonValue(object[key], key), layout, depth + 1, open);
    if (pieces === undefined) continue;
    const before = written === 0 ? '{' : ',';
    yield `${before}${layout.gap === '' ? '' : inner}${JSON.stringify(key)}:${layout.gap === '' ? '' : ' '}`;
    written++;
    yield* pieces;
  }
  open.delete(object);
  yield written === 0 ? '{}' : layout.gap === '' ? '}' : `\n${layout.gap.repeat(depth)}}`;
}

/**
 * `JSON.stringify(value, null, space)` in pieces, made as they are read: joined, the same text to the byte (nothing
 * when it gives undefined). The same for any value but one whose toJSON gives a boxed primitive or BigInt with a
 * toJSON of its own, which JSON.stringify would call once and this twice (a report has no toJSON at all).
 */
export function* jsonPieces(value: unknown, space: number): Generator<string> {
  const layout = { space, gap: ' '.repeat(Math.min(10, Math.max(0, Math.trunc(space)))) };
  yield* valuePieces(jsonValue(value, ''), layout, 0, new Set()) ?? [];
}

/** A JSON file's text as camera-load writes it, `JSON.stringify(value, null, space)` and a newline, made anew each time it is read. */
export function jsonFile(value: unknown, space: number): () => Iterable<string> {
  return function* () {
    yield* jsonPieces(value, space);
    yield '\n';
  };
}
