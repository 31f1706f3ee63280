import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { baseColumns } from './base.js';

export type BackupStatus = 'running' | 'succeeded' | 'failed';

export class Backup extends Model<InferAttributes<Backup>, InferCreationAttributes<Backup>> {
  declare id: CreationOptional<string>;
  declare file: string;
  declare size: CreationOptional<number | null>;
  declare sha256: CreationOptional<string | null>;
  declare status: CreationOptional<BackupStatus>;
  declare location: CreationOptional<string>;
  declare manifest: CreationOptional<Record<string, unknown> | null>;
  declare error: CreationOptional<string | null>;
  declare startedAt: CreationOptional<Date>;
  declare finishedAt: CreationOptional<Date | null>;
  declare verifiedAt: CreationOptional<Date | null>;
  declare verificationStatus: CreationOptional<string | null>;
  declare verificationError: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Backup.init(
      {
        ...baseColumns,
        file: { type: DataTypes.TEXT, allowNull: false },
        size: {
          type: DataTypes.BIGINT,
          get(this: Backup) {
            const v = this.getDataValue('size');
            return v === null || v === undefined ? null : Number(v);
          },
        },
        sha256: { type: DataTypes.TEXT },
        status: {
          type: DataTypes.ENUM('running', 'succeeded', 'failed'),
          allowNull: false,
          defaultValue: 'running',
        },
        location: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'local' },
        manifest: { type: DataTypes.JSONB },
        error: { type: DataTypes.TEXT },
        startedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        finishedAt: { type: DataTypes.DATE },
        verifiedAt: { type: DataTypes.DATE },
        verificationStatus: { type: DataTypes.TEXT },
        verificationError: { type: DataTypes.TEXT },
      },
      { sequelize, tableName: 'backups' },
    );
  }
}
