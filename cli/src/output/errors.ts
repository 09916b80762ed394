import { ModelportError, withoutFileContent } from '@modelport/core';

/** One line for the user; with --verbose the cause chain and stacks. */
export function describeFailure(error: unknown, verbose: boolean): string {
  const message = withoutFileContent(error instanceof Error ? error.message : String(error));
  const known = error instanceof ModelportError || (error as { code?: string })?.code?.startsWith?.('commander.');
  const head = `error: ${known ? message : `unexpected failure: ${message}`}`;
  if (!verbose) return known ? head : `${head}\n(run with --verbose for details)`;
  const chain: string[] = [head];
  let e: unknown = error;
  while (e instanceof Error) {
    chain.push(e.stack ?? String(e));
    e = (e as { cause?: unknown }).cause;
    if (e) chain.push('caused by:');
  }
  return chain.join('\n');
}
