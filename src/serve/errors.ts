import { JarvixError } from '../errors/index.js';

/** Base of the server's own errors; `status` is the HTTP status answered. */
export class ServeError extends JarvixError {
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(code, message);
    this.status = status;
  }
}

/** No route for this path. */
export class RouteNotFoundError extends ServeError {
  constructor(path: string) {
    super('JVX_ERR_SERVE_NOT_FOUND', 404, `no such page: ${path.slice(0, 200)} (see / for what this server offers)`);
  }
}

/** A path that tries to climb out of what is served (`..`, encoded slashes, NUL). */
export class PathTraversalError extends ServeError {
  constructor(path: string) {
    super('JVX_ERR_SERVE_PATH_TRAVERSAL', 400, `refused path ${JSON.stringify(path.slice(0, 200))}: it tries to leave the served files`);
  }
}

/** A Range header past the end of the file (answered 416 with the file's size). */
export class RangeNotSatisfiableError extends ServeError {
  readonly size: number;
  constructor(range: string, size: number) {
    super('JVX_ERR_SERVE_RANGE', 416, `range ${JSON.stringify(range)} is outside the file (${size} bytes)`);
    this.size = size;
  }
}

/** The server would listen on an address other than loopback without `--allow-remote`. */
export class NotLoopbackError extends ServeError {
  constructor(host: string) {
    super('JVX_ERR_SERVE_NOT_LOOPBACK', 400, `--host ${host} is not a loopback address: the archive would be open to the network; add --allow-remote if that is what you want`);
  }
}

/** A method the route does not answer. */
export class MethodNotAllowedError extends ServeError {
  constructor(method: string) {
    super('JVX_ERR_SERVE_METHOD', 405, `method ${method} is not allowed here (GET, HEAD)`);
  }
}
