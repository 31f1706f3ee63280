import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { baseColumns } from './base.js';

export class Comment extends Model<InferAttributes<Comment>, InferCreationAttributes<Comment>> {
  declare id: CreationOptional<string>;
  declare taskId: string;
  declare authorId: string | null;
  declare body: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Comment.init(
      {
        ...baseColumns,
        taskId: { type: DataTypes.UUID, allowNull: false },
        authorId: { type: DataTypes.UUID },
        body: { type: DataTypes.TEXT, allowNull: false },
      },
      { sequelize, tableName: 'comments' },
    );
  }
}
