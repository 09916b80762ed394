import path from 'node:path';
import { ModelportError, RuntimeLimitError, type ArtifactRecord, type Hooks, type Logger, type Predictor } from '@modelport/core';

/** Why an artifact could not be validated: no runtime plugin for its format, or one that cannot run it. */
export interface NotValidated {
  readonly notValidated: string;
}

function runtimeLimit(e: unknown): RuntimeLimitError | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) if (c instanceof RuntimeLimitError) return c;
  return undefined;
}

/** The artifact's predictor from the `serve` hook, or why there is none to validate it with. */
export async function serveArtifact(hooks: Hooks, artifact: ArtifactRecord, versionDir: string, logger: Logger): Promise<Predictor | NotValidated> {
  try {
    const predictor = await hooks.serve.for(artifact.format).promise({ format: artifact.format, path: path.join(versionDir, artifact.path), logger });
    return predictor ?? { notValidated: `no runtime plugin serves "${artifact.format}"` };
  } catch (e) {
    const limit = runtimeLimit(e);
    if (!limit) throw e;
    return { notValidated: `${limit instanceof ModelportError ? limit.detail : ''}` };
  }
}

export function isNotValidated(x: object): x is NotValidated {
  return 'notValidated' in x;
}
