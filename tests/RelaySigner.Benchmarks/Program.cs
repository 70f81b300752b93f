using BenchmarkDotNet.Running;
using RelaySigner.Benchmarks.Load;

// Micro-benchmarks: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- --filter '*' --job short
// End-to-end load: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- load [--messages N] [--sessions S] [--size B] [--mode conn|reuse]
if (args is ["load", ..])
{
    return await LoadDriver.RunAsync(LoadOptions.Parse(args[1..]));
}

BenchmarkSwitcher.FromAssembly(typeof(LoadDriver).Assembly).Run(args);
return 0;
