/** Rows of cells as lines for a terminal: each column as wide as its widest cell, two spaces between, indented. */
export function alignedTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map(
      (r) =>
        `  ${r
          .map((v, c) => v.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}`,
    )
    .join('\n');
}
