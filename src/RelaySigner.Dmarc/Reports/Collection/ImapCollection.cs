namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>What one poll of the mailbox did: messages seen, reports stored, reports stored before, messages moved to the failed folder.</summary>
public sealed record ImapCollection(int Messages, int Imported, int Duplicates, int Failed);
