using System.Text;
using RelaySigner.Feedback.Parsing;

namespace RelaySigner.Tests.Feedback;

public sealed class FeedbackParserTests
{
    private static FeedbackReport Parse(string message, FeedbackLimits? limits = null) =>
        new FeedbackParser(limits ?? FeedbackLimits.Default).Parse(new MemoryStream(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n"))));

    private static string Dsn(string fields, string human = "Your message could not be delivered.") => $"""
        From: MAILER-DAEMON@mx.example.net
        To: b-token@bounces.example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"

        --b
        Content-Type: text/plain

        {human}

        --b
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        {fields}

        --b--
        """;

    [Fact]
    public void A_vague_status_field_gives_way_to_the_code_in_the_diagnostic()
    {
        var report = Parse(Dsn("Final-Recipient: rfc822; Gone@Example.ORG\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected"));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(new RecipientFeedback("Gone@example.org", "5.1.1", FeedbackKind.Hard), recipient);
        Assert.True(recipient.Suppress);
    }

    [Fact]
    public void A_policy_rejection_is_a_block_and_is_never_suppressed_even_when_it_mentions_an_unknown_user()
    {
        var report = Parse(Dsn("Final-Recipient: rfc822; someone@example.org\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 user unknown or blocked by policy"));

        Assert.Equal(FeedbackKind.Block, report.Recipients[0].Kind);
        Assert.False(report.Recipients[0].Suppress);
    }

    [Fact]
    public void A_full_mailbox_is_soft_even_with_a_permanent_code()
    {
        var report = Parse(Dsn("Final-Recipient: rfc822; full@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full"));

        Assert.Equal(FeedbackKind.Soft, report.Recipients[0].Kind);
    }

    [Fact]
    public void Original_recipient_is_preferred_to_the_final_one_after_forwarding()
    {
        var report = Parse(Dsn("Original-Recipient: rfc822;list@example.org\nFinal-Recipient: rfc822; member@elsewhere.example\nAction: failed\nStatus: 5.1.1"));

        Assert.Equal("list@example.org", report.Recipients[0].Recipient);
    }

    [Fact]
    public void An_auth_failure_report_is_not_a_complaint()
    {
        var report = Parse("""
            From: dmarc@receiver.example
            To: fbl@example.com
            Subject: DMARC failure report
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="b"

            --b
            Content-Type: text/plain

            A DMARC failure.

            --b
            Content-Type: message/feedback-report

            Feedback-Type: auth-failure
            Version: 1
            Original-Rcpt-To: <reader@receiver.example>
            Auth-Failure: dkim

            --b
            Content-Type: text/rfc822-headers

            Return-Path: <b-abc@bounces.example.com>
            From: news@example.com
            To: reader@receiver.example

            --b--
            """);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(FeedbackKind.AuthFailure, recipient.Kind);
        Assert.False(recipient.Suppress);
        Assert.Equal("b-abc@bounces.example.com", report.OriginalReturnPath);
    }

    [Fact]
    public void A_bounce_carrying_Auto_Submitted_is_still_a_bounce()
    {
        var report = Parse("""
            From: Mail Delivery System <Mailer-Daemon@mx.example.org>
            To: news@example.com
            Subject: Mail delivery failed: returning message to sender
            Auto-Submitted: auto-replied

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              nobody@example.net
                SMTP error from remote mail server after RCPT TO:<nobody@example.net>:
                550 5.1.1 No such user
            """);

        Assert.Equal(new RecipientFeedback("nobody@example.net", "5.1.1", FeedbackKind.Hard), Assert.Single(report.Recipients));
    }

    [Fact]
    public void An_ip_address_or_version_number_in_the_text_is_not_taken_for_a_status_code() =>
        Assert.Null(EnhancedStatus.FindInText("host 5.1.1.1 said: mailbox unavailable (server 4.2.2.1)"));

    [Fact]
    public void A_message_over_the_size_limit_is_not_read()
    {
        var message = Dsn("Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1", human: new string('x', 5000));

        Assert.Empty(Parse(message, FeedbackLimits.Default with { MaxMessageBytes = 4096 }).Recipients);
        Assert.Single(Parse(message).Recipients);
    }

    [Fact]
    public void Deeply_nested_multiparts_are_cut_at_the_depth_limit_without_failing()
    {
        var builder = new StringBuilder("From: MAILER-DAEMON@mx.example.net\r\nSubject: Undeliverable\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < 5000; i++)
        {
            builder.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        builder.Append("Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; deep@example.org\r\nStatus: 5.1.1\r\n");

        var report = new FeedbackParser().Parse(new MemoryStream(Encoding.ASCII.GetBytes(builder.ToString())));

        Assert.DoesNotContain(report.Recipients, r => r.Recipient == "deep@example.org");
    }

    [Fact]
    public void A_person_s_reply_that_talks_about_a_bounce_suppresses_no_one()
    {
        var report = Parse("""
            From: Colleague <colleague@example.com>
            To: news@example.com
            Subject: Re: Mail delivery failed
            In-Reply-To: <1@example.com>

            I think your message to other.person@example.org could not be delivered: user unknown?
            """);

        Assert.DoesNotContain(report.Recipients, r => r.Suppress);
    }

    [Fact]
    public void A_contact_address_inside_the_receiver_s_words_is_not_a_recipient_and_a_wrapped_phrase_still_counts()
    {
        var report = Parse("""
            From: MAILER-DAEMON@relay.example.com (Mail Delivery System)
            To: news@example.com
            Subject: Undelivered Mail Returned to Sender

            <kunde@isp.example>: host mx.isp.example[203.0.113.8] refused to talk to
                me: 554 A problem occurred. (Ask your postmaster for help or to
                contact help@rx.isp.example to clarify.)
            """);

        Assert.Equal(new RecipientFeedback("kunde@isp.example", null, FeedbackKind.Block), Assert.Single(report.Recipients));
    }

    [Fact]
    public void Exim_s_X_Failed_Recipients_names_the_recipient_the_text_leaves_out()
    {
        var report = Parse("""
            From: Mail Delivery System <Mailer-Daemon@mx.example.org>
            To: news@example.com
            Subject: Mail delivery failed: returning message to sender
            X-Failed-Recipients: hidden@example.org

            A message that you sent could not be delivered. This is a permanent error.

                550 5.1.1 No such user
            """);

        Assert.Equal(new RecipientFeedback("hidden@example.org", "5.1.1", FeedbackKind.Hard), Assert.Single(report.Recipients));
    }

    [Theory]
    [InlineData("a-a.", "-")]
    [InlineData("a", "")]
    [InlineData("550 5.", "")]
    [InlineData("x@a.", "")]
    public void Text_built_to_make_the_patterns_backtrack_is_read_quickly(string repeated, string end)
    {
        var text = "x@" + string.Concat(Enumerable.Repeat(repeated, 60_000 / repeated.Length)) + end;
        var started = System.Diagnostics.Stopwatch.StartNew();

        Parse($"From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail\n\n{text}\n<u@example.org>: {text} user unknown\n");

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"{started.Elapsed}");
    }
}
