import type { Sequelize } from 'sequelize';
import { ActivityEvent } from './ActivityEvent.js';
import { Attachment } from './Attachment.js';
import { Backup } from './Backup.js';
import { Comment } from './Comment.js';
import { Invitation } from './Invitation.js';
import { Label } from './Label.js';
import { Membership } from './Membership.js';
import { PasswordResetToken } from './PasswordResetToken.js';
import { Project } from './Project.js';
import { RefreshToken } from './RefreshToken.js';
import { Task } from './Task.js';
import { TaskLabel } from './TaskLabel.js';
import { User } from './User.js';
import { Workspace } from './Workspace.js';

const models = [
  User,
  Workspace,
  Membership,
  Invitation,
  Project,
  Label,
  Task,
  TaskLabel,
  Comment,
  Attachment,
  ActivityEvent,
  RefreshToken,
  PasswordResetToken,
  Backup,
];

/** Registers every model and association on one Sequelize instance. */
export function initModels(sequelize: Sequelize): void {
  for (const model of models) model.initModel(sequelize);
  Task.belongsToMany(Label, { through: TaskLabel, foreignKey: 'taskId', otherKey: 'labelId', as: 'labels' });
  Label.belongsToMany(Task, { through: TaskLabel, foreignKey: 'labelId', otherKey: 'taskId', as: 'tasks' });
  Membership.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  Membership.belongsTo(Workspace, { foreignKey: 'workspaceId', as: 'workspace' });
  Task.belongsTo(Project, { foreignKey: 'projectId', as: 'project' });
}

export {
  ActivityEvent,
  Attachment,
  Backup,
  Comment,
  Invitation,
  Label,
  Membership,
  PasswordResetToken,
  Project,
  RefreshToken,
  Task,
  TaskLabel,
  User,
  Workspace,
};
export * from './base.js';
