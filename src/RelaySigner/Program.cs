using RelaySigner.Cli;

return await RelayCommandLine.Build().Parse(args).InvokeAsync(new() { ProcessTerminationTimeout = null });
