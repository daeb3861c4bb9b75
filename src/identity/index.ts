export { identityMigrations } from './identity.migrations.ts';
export { identityRoutes } from './identity.routes.ts';
export * from './identity.schema.ts';
export { namesOf, userIdsOfOrg } from './identity.store.ts';
export {
  type Authenticated,
  currentTotp,
  IdentityService,
  type LoginResult,
  requirePermission,
  SESSION_COOKIE,
  totpStep,
} from './identity.ts';
