import type { Sequelize, Transaction } from 'sequelize';

/**
 * The one transaction of a route: `fn` runs inside it and it commits before the response is written, so a client
 * never reads an answer whose change could still roll back. Work registered with `transaction.afterCommit`
 * (events, emails) runs after the commit and before the response, as it did inline.
 */
export function transactional<I extends { transaction: Transaction | undefined }, R>(
  sequelize: Sequelize,
  fn: (input: I) => Promise<R>,
): (input: I) => Promise<R> {
  return (input) => sequelize.transaction((transaction) => fn({ ...input, transaction }));
}
