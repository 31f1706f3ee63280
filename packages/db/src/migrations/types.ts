/** A migration receives a function that runs raw SQL inside the migration's connection. */
export type Sql = (statement: string) => Promise<unknown>;

export type Migration = {
  name: string;
  up: (params: { context: Sql }) => Promise<void>;
  down: (params: { context: Sql }) => Promise<void>;
};
