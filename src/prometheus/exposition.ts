// The Prometheus text exposition format (version 0.0.4), written from figures the engine already keeps. A
// writer of its own: prom-client observes values one by one, and has no documented way to export a histogram
// whose buckets are counted elsewhere (the streams' own gap histograms). promtool checks the output in the tests.

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface Sample {
  /** Appended to the family's name: `_bucket`, `_sum`, `_count`; none for counters and gauges. */
  suffix?: '_bucket' | '_sum' | '_count';
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly Sample[];
}

/** A histogram's figures: counts per bucket (not cumulative; the last one is above every bound), sum and count. */
export interface HistogramFigures {
  /** Upper bounds, ascending. */
  bounds: readonly number[];
  counts: readonly number[];
  sum: number;
  count: number;
}

const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatSample(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels ?? {});
  const set = labels.length === 0 ? '' : `{${labels.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
  return `${name}${sample.suffix ?? ''}${set} ${formatValue(sample.value)}`;
}

/** Pure: the families as the text a scrape reads. */
export function exposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(formatSample(family.name, sample));
  }
  return `${lines.join('\n')}\n`;
}

/** One family of one sample, or of one sample per label set. */
export function single(type: 'counter' | 'gauge', name: string, help: string, value: number | undefined): MetricFamily {
  return { name, help, type, samples: value === undefined ? [] : [{ value }] };
}

export function labelled(type: 'counter' | 'gauge', name: string, help: string, values: Iterable<[Record<string, string>, number]>): MetricFamily {
  return { name, help, type, samples: [...values].map(([labels, value]) => ({ labels, value })) };
}

/** A histogram: its buckets cumulative, ending at the count with le="+Inf". */
export function histogram(name: string, help: string, figures: HistogramFigures): MetricFamily {
  return labelledHistogram(name, help, [[{}, figures]]);
}

/** A histogram per label set, each series's buckets cumulative and ending at its count (le after the set's labels). */
export function labelledHistogram(name: string, help: string, series: Iterable<[Record<string, string>, HistogramFigures]>): MetricFamily {
  const samples = [...series].flatMap(([labels, figures]): Sample[] => {
    let cumulative = 0;
    const buckets = figures.bounds.map((le, i): Sample => {
      cumulative += figures.counts[i] ?? 0;
      return { suffix: '_bucket', labels: { ...labels, le: String(le) }, value: cumulative };
    });
    return [
      ...buckets,
      { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: figures.count },
      { suffix: '_sum', labels, value: figures.sum },
      { suffix: '_count', labels, value: figures.count },
    ];
  });
  return { name, help, type: 'histogram', samples };
}

/** A summary without quantiles, per label set: `_sum` and `_count` only (the mean is rate(_sum) / rate(_count)). */
export function summary(name: string, help: string, values: Iterable<[Record<string, string>, { sum: number; count: number }]>): MetricFamily {
  const samples = [...values].flatMap(([labels, { sum, count }]): Sample[] => [
    { suffix: '_sum', labels, value: sum },
    { suffix: '_count', labels, value: count },
  ]);
  return { name, help, type: 'summary', samples };
}
