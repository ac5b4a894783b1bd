// Channel names and payloads live at the bottom of the stack (src/channels); observe/ reads them.
export * from '../channels/catalog.js';
