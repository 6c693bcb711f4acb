import type { RegisterCommand } from './run.js';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];

/**
 * `gdpr-lint lsp --stdio`: the language server, for any editor (Neovim, Helix, Zed, Sublime...).
 * The transport comes from the process arguments, as vscode-languageserver reads them.
 */
export const registerLsp: RegisterCommand = (program) => {
  program
    .command('lsp')
    .description('run the language server (LSP) over stdio (default), --node-ipc or --socket=<port>')
    .option('--stdio', 'speak LSP over stdin/stdout')
    .option('--node-ipc', 'speak LSP over the Node IPC channel (VS Code)')
    .option('--socket <port>', 'speak LSP over a TCP socket')
    .option('--pipe <name>', 'speak LSP over a named pipe')
    .option('--clientProcessId <pid>', 'exit when this process ends')
    .action(async () => {
      if (!process.argv.some((a) => TRANSPORTS.includes(a.split('=')[0]!))) process.argv.push('--stdio');
      const [{ createConnection }, { startServer }] = await Promise.all([
        import('vscode-languageserver/node'),
        import('../lsp/server.js'),
      ]);
      startServer(createConnection());
    });
};
