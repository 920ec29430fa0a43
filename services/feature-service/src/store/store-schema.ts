import type { FeatureType, FeatureView, KeyType } from '../registry';
import type { StoreDialect } from './store-url';

/**
 * How registry names become SQL names. Only names validated by the registry ([a-z][a-z0-9_]*) reach
 * SQL; values are always bound parameters.
 */
export const EVENT_TIME_COLUMN = 'event_time_ms';
export const WRITTEN_AT_COLUMN = 'written_at_ms';

export function tableOf(view: Pick<FeatureView, 'name'>): string {
  return `fv_${view.name}`;
}

export function featureColumn(featureName: string): string {
  return `f_${featureName}`;
}

export function keyColumn(view: Pick<FeatureView, 'entity'>): string {
  return view.entity.joinKey;
}

/** SQL type of a feature or key column per dialect (strings compare byte-wise on both). */
export function columnType(type: FeatureType | KeyType, dialect: StoreDialect): string {
  switch (type) {
    case 'float':
      return 'double precision';
    case 'int':
      return 'bigint';
    case 'bool':
      return 'boolean';
    case 'categorical':
      return dialect === 'mysql' ? 'varchar(255) character set utf8mb4 collate utf8mb4_bin' : 'varchar(255)';
    case 'string':
      // MySQL/MariaDB text collations ignore trailing spaces (PAD SPACE); bytes compare exactly.
      return dialect === 'mysql' ? 'varbinary(1020)' : 'varchar(255)';
  }
}
