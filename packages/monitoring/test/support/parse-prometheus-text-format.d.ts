/** Types of the parser used to check the exposition format (the package ships none). */
declare module 'parse-prometheus-text-format' {
  /** One series: `value` for counters and gauges; `quantiles`, `count`, `sum` for summaries. */
  export type ParsedSample = {
    value?: string;
    labels?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  };
  export type ParsedFamily = {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'SUMMARY' | 'HISTOGRAM' | 'UNTYPED';
    metrics: ParsedSample[];
  };
  /** Parses text exposition format; throws on a malformed line. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
