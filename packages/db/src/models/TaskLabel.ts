import {
  DataTypes,
  Model,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** Join row between a task and a label of the same workspace. */
export class TaskLabel extends Model<InferAttributes<TaskLabel>, InferCreationAttributes<TaskLabel>> {
  declare taskId: string;
  declare labelId: string;

  static initModel(sequelize: Sequelize): void {
    TaskLabel.init(
      {
        taskId: { type: DataTypes.UUID, primaryKey: true },
        labelId: { type: DataTypes.UUID, primaryKey: true },
      },
      { sequelize, tableName: 'task_labels', timestamps: false },
    );
  }
}
