namespace RelaySigner.Feedback.Inbound;

/// <summary>The signing configuration's return-path domains and organisational domains, as the bounce handler asks.</summary>
public interface IReturnPathDirectory
{
    /// <summary>Whether <c>b-TOKEN@<paramref name="domain"/></c> is a VERP Return-Path of this relay.</summary>
    bool IsReturnPathDomain(string domain);

    /// <summary>The organisational domain (Public Suffix List) of <paramref name="domain"/>; null for a public suffix.</summary>
    string? OrganisationalDomain(string domain);
}
