// autocannon ships no types; this covers what the benchmarks use.
declare module 'autocannon' {
  interface RequestShape {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    requests?: Array<RequestShape & { setupRequest?: (request: RequestShape) => RequestShape }>
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
  }
  interface Result {
    requests: Histogram & { total: number }
    latency: Histogram
    non2xx: number
    errors: number
  }
  export default function autocannon(options: Options): Promise<Result>
}
