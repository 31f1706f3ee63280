import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { NonAttribute } from 'sequelize';
import type { Label } from './Label.js';
import { baseColumns, TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from './base.js';

export class Task extends Model<InferAttributes<Task>, InferCreationAttributes<Task>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare projectId: string;
  declare number: number;
  declare title: string;
  declare description: CreationOptional<string>;
  declare status: CreationOptional<TaskStatus>;
  declare position: string;
  declare priority: CreationOptional<TaskPriority>;
  declare dueAt: CreationOptional<Date | null>;
  declare assigneeId: CreationOptional<string | null>;
  declare archived: CreationOptional<boolean>;
  declare createdById: string | null;
  declare remindedDueAt: CreationOptional<Date | null>;
  declare labels?: NonAttribute<Label[]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Task.init(
      {
        ...baseColumns,
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        projectId: { type: DataTypes.UUID, allowNull: false },
        number: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.TEXT, allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        status: { type: DataTypes.ENUM(...TASK_STATUSES), allowNull: false, defaultValue: 'todo' },
        position: { type: DataTypes.TEXT, allowNull: false },
        priority: { type: DataTypes.ENUM(...TASK_PRIORITIES), allowNull: false, defaultValue: 'none' },
        dueAt: { type: DataTypes.DATE },
        assigneeId: { type: DataTypes.UUID },
        archived: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        createdById: { type: DataTypes.UUID },
        remindedDueAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'tasks' },
    );
  }
}
