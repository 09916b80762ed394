// The command itself, run by bin.ts in a child process (see supervise.ts).
import { dropOutputToClosedPipes } from './output/closed-pipe.js';
import { main } from './program.js';

dropOutputToClosedPipes();
process.exitCode = await main(process.argv);
