import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { baseColumns } from './base.js';

export class ActivityEvent extends Model<
  InferAttributes<ActivityEvent>,
  InferCreationAttributes<ActivityEvent>
> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare projectId: string | null;
  declare actorId: string | null;
  declare verb: string;
  declare subjectType: string;
  declare subjectId: string;
  declare data: CreationOptional<Record<string, unknown>>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ActivityEvent.init(
      {
        ...baseColumns,
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        projectId: { type: DataTypes.UUID },
        actorId: { type: DataTypes.UUID },
        verb: { type: DataTypes.TEXT, allowNull: false },
        subjectType: { type: DataTypes.TEXT, allowNull: false },
        subjectId: { type: DataTypes.UUID, allowNull: false },
        data: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      },
      { sequelize, tableName: 'activity_events' },
    );
  }
}
