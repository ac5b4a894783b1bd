export { JarvixError, InvalidOptionError, UnknownOptionError, errorCode, errorMessage, describe } from './jarvix-error.js';
