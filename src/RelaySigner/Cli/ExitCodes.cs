namespace RelaySigner.Cli;

/// <summary>Exit codes shared by the verbs and <c>run</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The relay could not start for a reason other than its configuration (a busy port, a queue in use).</summary>
    public const int StartFailed = 1;

    /// <summary>
    /// The configuration cannot be used (unknown key, invalid option, missing folder or queue): EX_CONFIG of sysexits.h,
    /// which a service manager can be told not to restart on (systemd <c>RestartPreventExitStatus=78</c>).
    /// </summary>
    public const int Configuration = 78;
}
