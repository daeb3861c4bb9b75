export { auditMigrations } from './audit.migrations.ts';
export { auditRoutes } from './audit.routes.ts';
export * from './audit.schema.ts';
export { AuditLog, type AuditSubject, subjectOf, type VerifyReport } from './audit.ts';
export { verifyConsistency, verifyInclusion } from './merkle.ts';
