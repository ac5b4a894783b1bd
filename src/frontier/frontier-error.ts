import { JarvixError } from '../errors/index.js';

export type FrontierErrorCode =
  | 'JVX_ERR_FRONTIER_OPEN'
  | 'JVX_ERR_FRONTIER_SCHEMA'
  | 'JVX_ERR_FRONTIER_CLOSED'
  | 'JVX_ERR_FRONTIER_BAD_ADD'
  | 'JVX_ERR_FRONTIER_BAD_ARGUMENT'
  | 'JVX_ERR_FRONTIER_UNKNOWN_ID'
  | 'JVX_ERR_FRONTIER_CHECKPOINT_ORDER';

/** A misuse of the frontier or a store it cannot use. Context fields say which URL, id or file. */
export class FrontierError extends JarvixError {
  readonly path?: string;
  readonly id?: string;
  readonly url?: string;
  constructor(code: FrontierErrorCode, message: string, context: { path?: string; id?: string; url?: string; cause?: unknown } = {}) {
    super(code, message, { cause: context.cause });
    if (context.path !== undefined) this.path = context.path;
    if (context.id !== undefined) this.id = context.id;
    if (context.url !== undefined) this.url = context.url;
  }
}
