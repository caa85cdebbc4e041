/**
 * Messages between Electron's main process (engine-relay.ts) and the engine's own process (engine-host.ts), checked
 * on arrival at both ends. Main asks (a contract call, a path the user picked, the recent studies, closing) and
 * carries jobs' messages to and from their utility processes, which only main can start; the engine answers and
 * announces events. Image data crosses as opaque values that main passes on without reading.
 */
import { z } from 'zod';
import { HostMessageSchema } from '../core/jobs/job-protocol.js';

const id = z.int().nonnegative();

export const RelayMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id, method: z.unknown(), params: z.unknown() }),
  /** A path from an open dialog or a drop, to be allowed; answered with its real path or null. */
  z.object({ type: z.literal('grant'), id, path: z.unknown() }),
  z.object({ type: z.literal('recent'), id }),
  /** Stop jobs and write pending saves; answered with null once done. */
  z.object({ type: z.literal('close'), id }),
  z.object({ type: z.literal('job-message'), ticket: id, message: z.unknown() }),
  z.object({ type: z.literal('job-end'), ticket: id, why: z.string() }),
]);
export type RelayMessage = z.infer<typeof RelayMessageSchema>;

export const EngineMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id, value: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.unknown() }),
  z.object({ type: z.literal('job-launch'), ticket: id }),
  z.object({ type: z.literal('job-send'), ticket: id, message: HostMessageSchema }),
  z.object({ type: z.literal('job-finished'), ticket: id }),
]);
export type EngineMessage = z.infer<typeof EngineMessageSchema>;

/** What the engine process is started with (its one argument, as JSON). */
export const EngineHostConfigSchema = z.object({
  /** Where relative paths start; not itself open to the page (core/engine/desktop-paths.ts). */
  home: z.string(),
  recentFile: z.string(),
  version: z.string(),
  /** relay: jobs start as utility processes through main (Electron); fork: as Node children (tests, tools). */
  jobs: z.enum(['relay', 'fork']),
});
export type EngineHostConfig = z.infer<typeof EngineHostConfigSchema>;
