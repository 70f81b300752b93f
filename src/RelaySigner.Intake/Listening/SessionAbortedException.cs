namespace RelaySigner.Intake.Listening;

/// <summary>The relay closed the session itself (timeout, too slow, too many errors), after telling the client why.</summary>
public sealed class SessionAbortedException(string reply) : IOException(reply);
