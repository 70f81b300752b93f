using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake.Policy;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class SessionGuardTests
{
    private readonly FakeSessionContext _context = new();

    [Fact]
    public void Recipients_over_the_limit_count_as_errors_only_past_the_overshoot_limit()
    {
        var guard = new SessionGuard(_context, maxBadCommands: 2, new FakeTimeProvider());

        for (var i = 0; i < SessionGuard.RecipientOvershootLimit + 1; i++)
        {
            _context.RaiseError(RelayMailboxFilter.TooManyRecipients);
        }

        Assert.Null(guard.PendingClose);
        _context.RaiseError(RelayMailboxFilter.TooManyRecipients);
        Assert.Equal("4.7.0 Too many errors, closing connection", guard.PendingClose?.Message);
    }

    [Fact]
    public void Each_error_leaves_its_reply_for_the_writer_once()
    {
        var guard = new SessionGuard(_context, maxBadCommands: 20, new FakeTimeProvider());

        _context.RaiseError(new SmtpResponse(SmtpReplyCode.SyntaxError, "expected HELO/EHLO"));

        Assert.Same(ErrorReplies.BadSequence, guard.TakeErrorReply());
        Assert.Null(guard.TakeErrorReply());
    }
}
