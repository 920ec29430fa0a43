// Test helpers of the feature-service (used by its tests only).
export { MYSQL_SERVER_URL, mysqlAvailable, createTestDatabase } from './mysql-test-database';
export type { TestDatabase } from './mysql-test-database';
export { TcpProxy } from './tcp-proxy';
export { featureClient } from './feature-client';
export type { FeatureClient } from './feature-client';
