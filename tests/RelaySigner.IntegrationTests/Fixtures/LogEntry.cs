using Microsoft.Extensions.Logging;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>One log entry the relay wrote, as <see cref="CapturingLoggerProvider"/> keeps it.</summary>
internal sealed record LogEntry(int EventId, LogLevel Level, string Message, Exception? Exception);
