export { readUrlLines, isInputProblem, checkInputSource } from './read-url-lines.js';
export type { InputLine, InputProblem } from './read-url-lines.js';
export { InputError } from './input-error.js';
