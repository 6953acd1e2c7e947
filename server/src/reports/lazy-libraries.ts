// exceljs and pdfkit hold about 70 MB of a server's memory once loaded (measured: 39 and 33 MB), and only
// the XLSX and PDF downloads and the spreadsheet imports use them: they are loaded on first use, so that
// a server that never prints stays small (bench server_memory, issue 8).
import type ExcelJS from 'exceljs';
import type PDFDocumentClass from 'pdfkit';

let excel: Promise<typeof ExcelJS> | undefined;
let pdf: Promise<typeof PDFDocumentClass> | undefined;

export function loadExcel(): Promise<typeof ExcelJS> {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
}

export function loadPdfDocument(): Promise<typeof PDFDocumentClass> {
  pdf ??= import('pdfkit').then((m) => m.default);
  return pdf;
}
