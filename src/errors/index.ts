export { JarvixError, InvalidOptionError, UnknownOptionError, errorCode, errorMessage, describe } from './jarvix-error.js';
export { ERROR_CODES, REFUSAL_CODES, isErrorCode, isRefusal, isOverload } from './codes.js';
export type { ErrorCode, ErrorCodeInfo } from './codes.js';
