/** A mistake in the command line: reported without a stack trace, exit status 2. */
export class UsageError extends Error {}

export function intOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

export function numberOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}, got '${value}'`);
  return n;
}

/** A weight or share in 0..1; undefined when not given, so that each command keeps its own default. */
export function fractionOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = numberOption(name, value, 0);
  if (n > 1) throw new UsageError(`--${name} must lie in 0..1, got '${value}'`);
  return n;
}

export const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;

/** --device, default the CPU: a command line should not pick a GPU unless asked to. */
export function deviceOption(value: string | undefined): (typeof DEVICES)[number] {
  const device = value ?? 'cpu';
  if (!(DEVICES as readonly string[]).includes(device)) throw new UsageError(`unknown --device ${device}; one of ${DEVICES.join(', ')}`);
  return device as (typeof DEVICES)[number];
}
