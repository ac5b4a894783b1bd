export { startObservability } from './observability.js';
export { otlpTracesUrl } from './tracing.js';
export type { Observability, ObservabilityInit, ObservabilityOptions } from './observability.js';
export { CHANNELS } from './channels.js';
export type {
  ChannelKey,
  ChannelMessages,
  CheckpointMessage,
  DeadLetterMessage,
  FrontierSizesMessage,
  PolitenessEndMessage,
  PolitenessStartMessage,
  StageEndMessage,
  StageStartMessage,
} from './channels.js';
export { MetricsListenError, OtelConfigError } from './errors.js';
export { LOG_LEVELS } from './logs.js';
export type { LogLevel } from './logs.js';
