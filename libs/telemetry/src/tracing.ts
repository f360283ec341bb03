import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';

export interface TracingSettings {
  /** `modelplane-api`, `modelplane-gateway`, `modelplane-worker`. */
  service: string;
  /** OTLP/HTTP traces endpoint base (`http://collector:4318`); tracing is off without one. */
  endpoint?: string;
  /** Share of new traces recorded (a request that arrives with a sampled `traceparent` is always recorded). */
  sampleRatio: number;
}

type Carrier = Record<string, string | string[] | undefined>;

const W3C = new W3CTraceContextPropagator();
const setter = {
  set: (carrier: Record<string, string>, key: string, value: string) => {
    carrier[key] = value;
  },
};
const getter = {
  keys: (carrier: Carrier) => Object.keys(carrier),
  get: (carrier: Carrier, key: string) => carrier[key],
};

/**
 * This process's tracer: an OTLP exporter when configured, a no-op otherwise (whose spans cost a
 * function call). Kept to this process's own provider rather than OpenTelemetry's global one: the tests
 * run several apps in one process. Contexts are passed explicitly (a gateway request's span is the parent
 * of its upstream calls), so no global context manager is needed either.
 */
export class Tracing {
  readonly enabled: boolean;
  private readonly provider?: TracerProvider;
  private readonly tracer: Tracer;

  constructor(settings: TracingSettings) {
    this.enabled = Boolean(settings.endpoint);
    if (settings.endpoint) {
      const url = `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`;
      this.provider = new TracerProvider({
        resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.service, [ATTR_SERVICE_VERSION]: '0.1.0' }),
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
        spanProcessors: [
          new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: 1000 }),
        ],
      });
      this.tracer = this.provider.getTracer('modelplane');
    } else {
      this.tracer = trace.getTracer('modelplane');
    }
  }

  /** A span whose parent is the `traceparent` in `carrier` (an incoming request's headers, a job's data), if any. */
  startSpan(name: string, kind: SpanKind, attributes: Attributes, carrier?: Carrier): Span {
    const parent = carrier && this.enabled ? extractParent(carrier) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { kind, attributes }, parent);
  }

  /** A child of `parent`. */
  startChild(parent: Span, name: string, kind: SpanKind, attributes: Attributes): Span {
    return this.tracer.startSpan(name, { kind, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
  }

  /** Writes `span`'s W3C `traceparent` (and `tracestate`) into `headers`; nothing when tracing is off. */
  inject(span: Span, headers: Record<string, string>): void {
    if (!this.enabled || !span.isRecording()) return;
    W3C.inject(trace.setSpan(ROOT_CONTEXT, span), headers, setter);
  }

  /** Ends `span` as failed with `message`. */
  static fail(span: Span, message: string, attributes: Attributes = {}): void {
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttributes(attributes);
  }

  /** Sends what is buffered and stops (on shutdown). */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
  }

  /** Sends what is buffered (tests). */
  async flush(): Promise<void> {
    await this.provider?.forceFlush().catch(() => undefined);
  }
}

function extractParent(carrier: Carrier): Context {
  return W3C.extract(ROOT_CONTEXT, carrier, getter);
}
