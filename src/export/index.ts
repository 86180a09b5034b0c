// Streaming multi-event export over the client. Re-exports only.
export {
  type AtomicFile,
  openAtomicFile,
} from './atomic-file.js';
export {
  ExportIncompleteError,
  isExportIncompleteError,
} from './errors.js';
export {
  type ExportSink,
  exportEvents,
} from './export-events.js';
export {
  createRowFormatter,
  type ExportColumn,
  exportColumns,
  type RowFormatter,
} from './formats.js';
export {
  compareNames,
  DEFAULT_EXPORT_CONCURRENCY,
  type ExportBatch,
  exportBatches,
  exportRows,
  fetchEventRows,
  lengthAsSpan,
  MAX_EXPORT_CONCURRENCY,
  resolveEventNames,
  validateExportOptions,
} from './rows.js';
export {
  EXPORT_FORMATS,
  type ExportEventFailure,
  type ExportFormat,
  type ExportOptions,
  type ExportProgress,
  type ExportRange,
  type ExportRow,
  type ExportSummary,
} from './types.js';
