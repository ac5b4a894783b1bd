import { jarvixChannel } from '../channels/index.js';

/**
 * What the fetch path publishes (names and payloads in src/channels/catalog.ts); `observe/`
 * subscribes and turns these into metrics and logs. `id` is unique per fetch in the process and
 * pairs start, hops and end.
 */
export const fetchChannels = {
  start: jarvixChannel('fetchStart'),
  hop: jarvixChannel('fetchHop'),
  end: jarvixChannel('fetchEnd'),
  retry: jarvixChannel('fetchRetry'),
  hostBackoff: jarvixChannel('hostBackoff'),
};
