using P2psip.Cli;

// The one error boundary of the CLI lives in CliProgram: every verb's failure ends here as one line.
return await CliProgram.RunAsync(args);
