import type { ApiMethod } from '../contract/index.js';

/**
 * What one client may cost the host. Every value is sized for the viewer on this machine (or through a tunnel);
 * anything past it is a runaway or hostile client, answered with a 4xx/503 instead of memory, disk or sockets.
 */
export interface HostLimits {
  /** Body of a plain JSON call (paths, ids, settings). */
  jsonBodyBytes: number;
  /** Body of a call carrying a label slice as a frame: a uint8 slice of up to 8192 x 8192. */
  sliceBodyBytes: number;
  /** A dropped study, streamed to disk: the renderer refuses drops over 1 GiB, plus the frame's own header. */
  uploadBodyBytes: number;
  /** Bytes of request bodies held in memory at once, over all clients; a request that would pass it gets 503. */
  inFlightBodyBytes: number;
  /** Uploads written to disk at once; one more gets 503. */
  concurrentUploads: number;
  /** The request line and headers must arrive within this, so a client dribbling bytes is dropped. */
  headersTimeoutMs: number;
  /** A JSON or slice body must arrive within this. */
  bodyTimeoutMs: number;
  /** Node's limit on a whole request, which is what an upload over a slow tunnel needs. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open sockets (requests and event sockets together); a browser needs about 7. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  jsonBodyBytes: 1 << 20,
  sliceBodyBytes: 64 << 20,
  uploadBodyBytes: (1 << 30) + (16 << 20),
  inFlightBodyBytes: 256 << 20,
  concurrentUploads: 2,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 60_000,
  requestTimeoutMs: 15 * 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 64,
};

/** The methods whose params legitimately hold a typed array (core/contract/methods.ts): a label slice. uploadStudy streams. */
const SLICE_METHODS: ReadonlySet<string> = new Set<ApiMethod>(['setLabelSlice']);

export function bodyLimit(method: string, limits: HostLimits): number {
  return SLICE_METHODS.has(method) ? limits.sliceBodyBytes : limits.jsonBodyBytes;
}
