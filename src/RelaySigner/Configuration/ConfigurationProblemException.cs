namespace RelaySigner.Configuration;

/// <summary>The configuration cannot be used as given; the message is the one line the operator reads.</summary>
public sealed class ConfigurationProblemException(string message) : Exception(message);
