import { JarvixError } from '../errors/index.js';

/** The metrics port could not be bound (in use, no permission). */
export class MetricsListenError extends JarvixError {
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: unknown) {
    super('JVX_ERR_OBSERVE_METRICS_LISTEN', `cannot serve metrics on ${host}:${port}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.host = host;
    this.port = port;
  }
}

/** An OTEL_* variable holds a value the SDK cannot use (the variable is named in `variable`). */
export class OtelConfigError extends JarvixError {
  readonly variable: string;
  constructor(variable: string, expected: string, given: string) {
    super('JVX_ERR_OBSERVE_OTEL_CONFIG', `${variable}: expected ${expected}, got ${JSON.stringify(given)}`);
    this.variable = variable;
  }
}
