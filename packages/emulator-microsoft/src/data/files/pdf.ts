/**
 * "Convert to PDF" output: a real, minimal one-page PDF (Helvetica text) carrying what the
 * emulator can read of the source — CSV text, a workbook's cells — or the file name for formats
 * it cannot read (Word, PowerPoint). Enough for a client to receive, store and open a PDF.
 */
import type { StoredDriveItem } from './model.ts';

/** The source extensions Graph's `?format=pdf` accepts (driveitem-get-content-format). */
export const PDF_SOURCES = new Set(['csv', 'doc', 'docx', 'odp', 'ods', 'odt', 'pot', 'potm', 'potx', 'pps', 'ppsx', 'ppsxm', 'ppt', 'pptm', 'pptx', 'rtf', 'xls', 'xlsx']);

const MAX_LINES = 50;

function escape(line: string): string {
  return line.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1').slice(0, 100);
}

function textOf(item: StoredDriveItem): string[] {
  if (item.workbook) {
    return item.workbook.toJSON().worksheets.flatMap((ws) => [`[${ws.name}]`, ...ws.values.map((row) => row.map((v) => String(v)).join('  '))]);
  }
  if (/\.csv$/i.test(item.name)) return (item.content ?? Buffer.alloc(0)).toString('utf8').split(/\r?\n/);
  return [item.name, '', 'Converted to PDF by the Microsoft 365 emulator.'];
}

export function renderPdf(item: StoredDriveItem): Buffer {
  const lines = textOf(item).slice(0, MAX_LINES);
  const stream = `BT /F1 11 Tf 50 750 Td 14 TL ${lines.map((l) => `(${escape(l)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
