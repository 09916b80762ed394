// Only the supervisor here: the command's modules load in the child (see supervise.ts).
import { runSupervised } from './supervise.js';

process.exitCode = await runSupervised(process.argv.slice(2));
