import type { SkippedItem, TransferReport } from '@taskstack/db/repositories';

/** A bad file: the job fails with this message, which the admin reads as is. */
export class ImportError extends Error {}

const EXAMPLES = 5;

/** Collects what an import created and left out, for the report the web app shows. */
export class ImportReport {
  private readonly created: Record<string, number> = {};
  private readonly skipped = new Map<string, SkippedItem>();
  private readonly people = new Set<string>();

  count(what: string, n = 1): void {
    this.created[what] = (this.created[what] ?? 0) + n;
  }

  /** One thing left out; the same kind and reason are counted on one line with a few examples. */
  skip(what: string, reason: string, example?: string): void {
    const key = `${what}\u0000${reason}`;
    const item = this.skipped.get(key) ?? { what, reason, count: 0, examples: [] };
    item.count += 1;
    if (example && item.examples.length < EXAMPLES && !item.examples.includes(example)) {
      item.examples.push(example.slice(0, 120));
    }
    this.skipped.set(key, item);
  }

  /** Someone the file names whom no member matches (by email where the file has one, else by name). */
  unknownPerson(who: string): void {
    this.people.add(who);
  }

  toJSON(): TransferReport {
    return {
      created: { ...this.created },
      skipped: [...this.skipped.values()],
      unknownPeople: [...this.people].sort(),
    };
  }
}
