namespace RelaySigner.Configuration;

/// <summary>
/// Has no settings of its own: its validator (<see cref="ConfigurationKeysValidator"/>) runs at start beside every
/// options class, so an unknown <c>Relay:</c> key is reported with the other configuration errors and stops the start.
/// </summary>
public sealed class ConfigurationKeysCheck;
