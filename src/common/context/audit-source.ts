/** Where a write came from, as the audit log records it. */
export enum AuditSource {
  Api = 'api',
  Admin = 'admin',
  Import = 'import',
  Cli = 'cli',
  System = 'system',
}
