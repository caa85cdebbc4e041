import { createHash, randomUUID } from 'node:crypto';

/**
 * DICOM SEG numbers its segments 1..N in order, and dcmqi reads them back by that number: a label map with values
 * 3 and 5 would come back as 1 and 2. So each segment also carries the label value it was written from, in its
 * Tracking ID (a text DICOM keeps per segment to follow one structure across objects), and the reader gives it
 * back; a SEG from another tool has no such ID and its labels take the segment numbers.
 */
const PREFIX = 'UniverSeg label ';

/**
 * The Tracking ID and Tracking UID (DICOM requires both) of the segment written from label `value`. The UID is
 * derived from the source series' Series Instance UID and the value, so every export of one label of one series
 * is the same tracked structure; without a series UID it is a fresh one.
 */
export function segmentTracking(value: number, seriesInstanceUid: string | undefined) {
  const hex = seriesInstanceUid
    ? createHash('sha256').update(`${seriesInstanceUid}\0${value}`).digest('hex').slice(0, 32)
    : randomUUID().replace(/-/g, '');
  // A "2.25." UID is the 128-bit number in decimal (ISO/IEC 9834-8), at most 44 characters.
  return { TrackingIdentifier: `${PREFIX}${value}`, TrackingUniqueIdentifier: `2.25.${BigInt(`0x${hex}`).toString()}` };
}

/** The label value a Tracking ID written by segmentTracking names, or undefined for any other ID. */
export function labelValueOfTracking(trackingId: string | undefined): number | undefined {
  const match = /^UniverSeg label (\d{1,3})$/.exec(trackingId?.trim() ?? '');
  const value = match ? Number(match[1]) : NaN;
  return value >= 1 && value <= 255 ? value : undefined;
}
