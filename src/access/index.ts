export {
  type Actor,
  isRole,
  PERMISSIONS,
  type Permission,
  permissionsOf,
  ROLES,
  type Role,
} from '../platform/actor.ts';
export { accessMigrations } from './access.migrations.ts';
export { accessRoutes } from './access.routes.ts';
export * from './access.schema.ts';
export {
  addUserScope,
  communityIdsOfOrg,
  createCommunity,
  deleteDistribution,
  listCommunities,
  readDistributions,
  writeDistribution,
} from './access.store.ts';
export {
  checkDistribution,
  checkExportable,
  isOriginator,
  isWider,
  mergeMarkings,
  mostRestrictiveTlp,
  type WideningDecision,
  wideningDecision,
} from './markings.ts';
export { type ObjectColumns, scopeKeysOf, userScopeKey, visibleTo } from './visibility.ts';
export { type ModelObject, mayViewModel } from './visibility-model.ts';
