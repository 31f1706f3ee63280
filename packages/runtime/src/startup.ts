/**
 * Waits for every dependency probe and, if any failed, prints one line per unreachable setting (naming the
 * variable, never a stack trace) and exits non-zero — a process that cannot work should not pretend to start.
 */
export async function exitIfUnreachable(
  processName: string,
  probes: Record<string, Promise<string | undefined>>,
): Promise<void> {
  const results = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => [name, await probe] as const),
  );
  const failed = results.filter(([, problem]) => problem !== undefined);
  for (const [name, problem] of failed)
    process.stderr.write(`${processName}: ${name}: cannot connect (${problem})\n`);
  if (failed.length > 0) process.exit(1);
}
