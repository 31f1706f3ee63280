import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { baseColumns } from './base.js';

export class Attachment extends Model<InferAttributes<Attachment>, InferCreationAttributes<Attachment>> {
  declare id: CreationOptional<string>;
  declare taskId: string;
  declare uploadedById: string | null;
  declare filename: string;
  declare contentType: string;
  declare size: number;
  declare storageKey: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Attachment.init(
      {
        ...baseColumns,
        taskId: { type: DataTypes.UUID, allowNull: false },
        uploadedById: { type: DataTypes.UUID },
        filename: { type: DataTypes.TEXT, allowNull: false },
        contentType: { type: DataTypes.TEXT, allowNull: false },
        size: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get(this: Attachment) {
            return Number(this.getDataValue('size'));
          },
        },
        storageKey: { type: DataTypes.TEXT, allowNull: false },
      },
      { sequelize, tableName: 'attachments' },
    );
  }
}
