/** The fields of a MetaImage header (.mha with LOCAL data, .mhd with a separate data file). */
export interface MetaHeader {
  dimSize: number[];
  channels: number;
  bytesPerValue?: number;
  compressed: boolean;
  /** "LOCAL", a file name relative to the header, "LIST", or a printf-style pattern. */
  elementDataFile: string;
  /** With ElementDataFile = LIST: the data files named on the lines after it. */
  dataFileList: string[];
}

const ELEMENT_BYTES: Record<string, number> = {
  MET_CHAR: 1,
  MET_UCHAR: 1,
  MET_SHORT: 2,
  MET_USHORT: 2,
  MET_INT: 4,
  MET_UINT: 4,
  MET_LONG: 4,
  MET_ULONG: 4,
  MET_LONG_LONG: 8,
  MET_ULONG_LONG: 8,
  MET_FLOAT: 4,
  MET_DOUBLE: 8,
};

/** Null when the text is not a MetaImage header (it must name an ElementDataFile and a DimSize). */
export function parseMetaHeader(bytes: Uint8Array): MetaHeader | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16384)).toString('latin1');
  const fields = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  let after = lines.length;
  for (const [n, line] of lines.entries()) {
    const m = /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) break;
    fields.set(m[1].toLowerCase(), m[2]);
    if (m[1].toLowerCase() === 'elementdatafile') {
      after = n + 1;
      break;
    }
  }
  const dimSize = fields.get('dimsize')?.split(/\s+/).map(Number);
  const elementDataFile = fields.get('elementdatafile');
  if (!dimSize || !elementDataFile) return null;
  return {
    dimSize,
    channels: Number(fields.get('elementnumberofchannels') ?? 1),
    bytesPerValue: ELEMENT_BYTES[(fields.get('elementtype') ?? '').toUpperCase()],
    compressed: /^true$/i.test(fields.get('compresseddata') ?? ''),
    elementDataFile,
    dataFileList: /^LIST\b/.test(elementDataFile) ? lines.slice(after).filter((l) => l.trim() !== '') : [],
  };
}
