import type { Logger } from 'pino';

type Step = { name: string; close: () => Promise<unknown> | unknown };

/**
 * Closes a process in the order its parts were opened in reverse: HTTP first (stop accepting, finish in-flight),
 * then queues, then pools. A step that hangs cannot keep the process alive past `timeoutMs`.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Registers a closer; closers run in registration order, so register the HTTP server before the pools. */
  add(name: string, close: Step['close']): this {
    this.steps.push({ name, close });
    return this;
  }

  /** Runs every step once, however many signals arrive. */
  run(reason: string): Promise<void> {
    this.running ??= this.closeAll(reason);
    return this.running;
  }

  /** Exits the process after SIGTERM/SIGINT once every step closed, or after the timeout. */
  listen(): this {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        const timer = setTimeout(() => {
          this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out, exiting');
          process.exit(1);
        }, this.timeoutMs);
        timer.unref();
        void this.run(signal).then(() => process.exit(0));
      });
    }
    return this;
  }

  private async closeAll(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    for (const step of this.steps) {
      try {
        await step.close();
        this.logger.debug({ step: step.name }, 'closed');
      } catch (error) {
        this.logger.error({ step: step.name, err: error }, 'close failed');
      }
    }
    this.logger.info('shutdown complete');
  }
}
