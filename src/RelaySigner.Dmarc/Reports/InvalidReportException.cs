namespace RelaySigner.Dmarc.Reports;

/// <summary>A report file that cannot be read: malformed, hostile, or over a size limit. The message says which.</summary>
public sealed class InvalidReportException(string message, Exception? inner = null) : Exception(message, inner);
