using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner keys generate|activate|list</c>: create signing keys, start signing with them, see them.</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Create, activate and list DKIM signing keys.")
    {
        KeysGenerateCommand.Create(),
        KeysActivateCommand.Create(),
        KeysListCommand.Create(),
    };
}
