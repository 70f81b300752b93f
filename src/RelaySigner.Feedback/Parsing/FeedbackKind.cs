namespace RelaySigner.Feedback.Parsing;

/// <summary>What a receiver said about one recipient.</summary>
public enum FeedbackKind
{
    /// <summary>Nothing recognisable (or a positive DSN): never suppresses.</summary>
    Unknown,

    /// <summary>The address does not exist (user unknown, no such domain, has moved, disabled): suppress.</summary>
    Hard,

    /// <summary>Mailbox full, temporary failure, expired in a queue: the address exists, try again later.</summary>
    Soft,

    /// <summary>Refused for policy, spam or reputation: the address exists, the sender is the problem.</summary>
    Block,

    /// <summary>The recipient reported the mail (ARF abuse, fraud, opt-out…): suppress.</summary>
    Complaint,

    /// <summary>An RFC 3834 automatic reply (vacation, out of office, read receipt): ignore.</summary>
    Autoreply,

    /// <summary>An ARF auth-failure report: a DMARC failure report about the sending domain, not about the recipient.</summary>
    AuthFailure,
}
