export { EventBus, type LiveEvent } from './events.ts';
export { renderMarkdown } from './markdown.ts';
export { sharingMigrations } from './sharing.migrations.ts';
export { sharingRoutes } from './sharing.routes.ts';
export * from './sharing.schema.ts';
export {
  normalizeObservables,
  observableCandidates,
  REVIEW_GRACE_DAYS,
  SharingService,
} from './sharing.ts';
