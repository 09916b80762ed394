#!/usr/bin/env node
// The published entry: compiled code lives in dist/ (built by `npm run build`); this file is executable in git.
import '../dist/src/bin.js';
