// The command itself, run by bin.ts in a child process (see supervise.ts).
import { main } from './program.js';

process.exitCode = await main(process.argv);
