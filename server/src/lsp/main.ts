import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Entry of the language server bundle: `node lsp.js --stdio` or `--node-ipc` (the transport comes from argv). */
startServer(createConnection());
