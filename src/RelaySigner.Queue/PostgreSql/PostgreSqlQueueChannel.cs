namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The LISTEN/NOTIFY channel on which nodes say "a message is due now". Payload-free: a listener only looks at the
/// queue, and notifications with the same payload in one transaction are folded into one.
/// </summary>
internal static class PostgreSqlQueueChannel
{
    public const string Name = "relaysigner_queue";

    public const string NotifySql = $"SELECT pg_notify('{Name}', '')";

    public const string ListenSql = $"LISTEN {Name}";
}
