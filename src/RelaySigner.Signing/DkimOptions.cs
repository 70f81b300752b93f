namespace RelaySigner.Signing;

/// <summary>Options of the signing stage, bound from <c>Relay:Dkim</c>.</summary>
public sealed class DkimOptions
{
    public const string SectionName = "Relay:Dkim";

    /// <summary>
    /// Folder of private keys laid out as <c>&lt;domain&gt;/&lt;selector&gt;.pem</c>, relative to the content root.
    /// Default <c>keys.example</c> (public demo keys: never sign real mail with them).
    /// </summary>
    public string KeysPath { get; set; } = "keys.example";
}
