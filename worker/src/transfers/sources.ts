import type { TransferSource } from '@taskstack/db/repositories';
import { csvSource } from './importers/csv.js';
import { plankaSource } from './importers/planka.js';
import type { ImportInput, ImportSource } from './importers/shared.js';
import { taskstackSource } from './importers/taskstack.js';
import { trelloSource } from './importers/trello.js';
import { vikunjaSource } from './importers/vikunja.js';

/** Each source's reader: its file in, a taskstack document out. */
export const IMPORTERS: Record<TransferSource, (input: ImportInput) => Promise<ImportSource>> = {
  taskstack: taskstackSource,
  trello: trelloSource,
  csv: csvSource,
  vikunja: vikunjaSource,
  planka: plankaSource,
};
