/** Plain-text tables for the bench output: left-aligned text, right-aligned numbers. */

export type Cell = string | number;

export interface Column {
  /** The header; put the unit in it ("median ms"). */
  header: string;
  /** Decimals for numbers in this column (default 0). */
  decimals?: number;
}

export function renderTable(columns: readonly Column[], rows: readonly Cell[][]): string[] {
  const text = rows.map((row) => columns.map((column, index) => formatCell(row[index] ?? '', column.decimals ?? 0)));
  // A column of numbers (blanks allowed) is right-aligned, so digits line up.
  const numeric = columns.map(
    (_, index) =>
      rows.some((row) => typeof row[index] === 'number') &&
      rows.every((row) => typeof row[index] === 'number' || row[index] === '' || row[index] === undefined),
  );
  const widths = columns.map((column, index) => Math.max(column.header.length, ...text.map((row) => row[index]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...text.map(line),
  ];
}

function formatCell(cell: Cell, decimals: number): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '–';
  return cell.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "4.2×" for ratios, with more digits when close to 1 and none when huge. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  if (ratio >= 100) return `${Math.round(ratio).toLocaleString('en-US')}×`;
  if (ratio >= 10) return `${ratio.toFixed(0)}×`;
  return `${ratio.toFixed(2)}×`;
}
