/**
 * The one home of every default a user sees before choosing: propagation settings and a new label. The engine,
 * the CLI and the viewer all take them from here, so a new project, a fresh form and a saved file agree.
 */
import { z } from 'zod';
import { labelColor } from './label-palette.js';
import { PropagationSettingsSchema, SegmentDefSchema, type PropagationSettings, type SegmentDef } from './schemas.js';

const settings = PropagationSettingsSchema.shape;

/**
 * Propagation settings with their defaults. The network weighs 0.5 against the interpolated shape (chosen with the
 * shipped weights on trained regions, see assets/models/MODEL_CARD.md); these are not folded into
 * PropagationSettingsSchema itself because a `propagate` call leaves out what the project's last settings should
 * fill, not these.
 */
export const PropagationDefaultsSchema = z.object({
  supportSize: settings.supportSize.default(8),
  ensemble: settings.ensemble.default(1),
  seed: settings.seed.default(0),
  networkWeight: settings.networkWeight.default(0.5),
  extents: settings.extents.default([]),
});

export const DEFAULT_PROPAGATION: Readonly<PropagationSettings> = Object.freeze(PropagationDefaultsSchema.parse({}));

/** A label as it is first created: "Label <value>" in the palette's colour, shown and unlocked. */
const NewSegmentSchema = z
  .object({
    value: SegmentDefSchema.shape.value,
    name: SegmentDefSchema.shape.name.optional(),
    color: SegmentDefSchema.shape.color.optional(),
    visible: SegmentDefSchema.shape.visible.default(true),
    locked: SegmentDefSchema.shape.locked.default(false),
  })
  .transform(({ value, name, color, ...rest }): SegmentDef => ({
    value,
    name: name ?? `Label ${value}`,
    color: color ?? labelColor(value),
    ...rest,
  }));

export function newSegment(value: number): SegmentDef {
  return NewSegmentSchema.parse({ value });
}
