/** The Docker CLI as the deployer uses it: one engine chosen by DOCKER_HOST (local socket or ssh://user@host). */
import { spawn } from 'node:child_process';

/** Where to deploy: this machine's engine, or a swarm manager reached over SSH. */
export type Target = 'local' | `ssh://${string}`;

/** Validates a `--target` value so a typo fails before anything runs. */
export function parseTarget(value: string): Target {
  if (value === 'local') return 'local';
  if (/^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d+)?$/.test(value)) return value as Target;
  throw new Error(`--target must be "local" or "ssh://user@host[:port]", got "${value}"`);
}

/** A docker command that failed, with its stderr (never the input, which may hold secrets). */
export class DockerError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(
      `docker ${args.slice(0, 3).join(' ')} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
    this.name = 'DockerError';
  }
}

export interface DockerOptions {
  /** Bytes written to the command's stdin (e.g. a secret value). */
  input?: string | Buffer;
  cwd?: string;
  /** Stream output to our stderr (image builds) instead of collecting it. */
  inherit?: boolean;
  /** Stop the command after this long and resolve with the output so far (`docker service logs` can hang). */
  partialAfterMs?: number;
}

/** A Docker CLI bound to one engine. */
export class Docker {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly target: Target) {
    this.env = { ...process.env };
    if (target === 'local') delete this.env.DOCKER_HOST;
    else this.env.DOCKER_HOST = target;
  }

  /** Runs `docker …` and returns stdout; rejects with the command's stderr on failure. */
  run(args: string[], options: DockerOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('docker', args, {
        env: this.env,
        cwd: options.cwd,
        stdio: [
          options.input === undefined ? 'ignore' : 'pipe',
          options.inherit ? 'inherit' : 'pipe',
          'pipe',
        ],
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (options.inherit) process.stderr.write(chunk);
      });
      let timedOut = false;
      const timer = options.partialAfterMs
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, options.partialAfterMs)
        : undefined;
      child.on('error', (error) => reject(new DockerError(args, error.message, null)));
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 || timedOut) resolve(stdout);
        else reject(new DockerError(args, stderr, code));
      });
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  /** `docker inspect`-style commands: a JSON array. */
  async inspect<T>(args: string[]): Promise<T[]> {
    return JSON.parse(await this.run(args)) as T[];
  }
}
