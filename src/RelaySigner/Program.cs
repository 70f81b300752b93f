using RelaySigner.Cli;

return await RelayCommandLine.InvokeAsync(args);
