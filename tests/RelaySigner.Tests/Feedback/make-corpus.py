#!/usr/bin/env python3
"""Writes the feedback corpus: bounces, complaints and auto-replies in the shapes the common MTAs and providers
send, written from the formats' specifications and their typical wording (no third-party corpus), with manifest.csv
holding a careful reading of each: file, recipient, kind, suppress. Deterministic (fixed seed); rerun after editing."""
import csv, os, random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")
rng = random.Random(16)
SENDER = "news@example.com"
VERP = "b-aeaqcaibaeaqcaibaeaqcaibaeaqcaibaeaqcaib@bounces.example.com"
DATE = "Sat, 05 Dec 2026 10:{:02d}:{:02d} +0000"
NAMES = ["alice", "bob.smith", "carol_j", "dave+news", "erin.o", "frank77", "grace.hopper", "heidi", "ivan.petrov",
         "judy", "mallory", "niaj", "olivia.w", "peggy", "rupert", "sybil", "trent", "victor.m", "walter", "yvonne"]
DOMAINS = {"gmail": ["gmail.com", "googlemail.com"], "yahoo": ["yahoo.com", "yahoo.co.uk", "ymail.com"],
           "microsoft": ["outlook.com", "hotmail.com", "contoso.com", "fabrikam.onmicrosoft.com"],
           "other": ["example.net", "example.org", "mail.example.de", "corp.example.co.uk", "uni.example.edu"]}

HARD = [
    ("5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in local recipient table"),
    ("5.1.1", "550 5.1.1 {r}... User unknown"),
    ("5.1.1", "550 5.1.1 Requested action not taken: mailbox unavailable"),
    ("5.1.1", "550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the recipient's email address for typos or\n 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"),
    ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient {r} not found by SMTP address lookup"),
    ("5.4.1", "550 5.4.1 Recipient address rejected: Access denied. [DB5EUR03FT041.eop-EUR03.prod.protection.outlook.com]"),
    ("5.2.1", "550 5.2.1 The email account that you tried to reach is disabled."),
    ("5.1.2", "550 5.1.2 Host unknown (Name server: {d}: host not found)"),
    ("5.1.6", "551 5.1.6 User has moved; no forwarding address on file"),
    (None, "550 No such user here"),
    (None, "550 Mailbox does not exist"),
    (None, "550 <{r}>: invalid mailbox"),
    ("5.0.0", "550 5.0.0 <{r}>... No such user"),
]
SOFT = [
    ("5.2.2", "552 5.2.2 <{r}>: Mailbox full"),
    ("4.2.2", "452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp"),
    ("5.2.2", "550 5.2.2 {r}... Mailbox full (quota exceeded)"),
    ("4.3.0", "451 4.3.0 Temporary server error. Please try again later"),
    ("4.4.7", "451 4.4.7 Delivery time expired"),
    (None, "452 Insufficient system storage"),
    ("4.2.0", "450 4.2.0 <{r}>: Recipient address rejected: Greylisted, please try again in 300 seconds"),
]
BLOCK = [
    ("5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org"),
    ("5.7.1", "550-5.7.1 [192.0.2.10] Our system has detected that this message is likely\n 550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this\n 550 5.7.1 message has been blocked."),
    ("5.7.26", "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM."),
    ("5.7.1", "554 5.7.1 Message rejected for policy reasons"),
    ("5.7.606", "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/"),
    ("5.7.9", "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes"),
    ("5.7.1", "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."),
    (None, "554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit https://postmaster.yahooinc.com/error-codes"),
    (None, "550 Rejected by content filter: spam score too high"),
    ("4.7.0", "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints"),
]
CATALOGUE = {"hard": HARD, "soft": SOFT, "block": BLOCK}

manifest = []
counter = [0]


def recipient(provider=None):
    provider = provider or rng.choice(list(DOMAINS))
    return f"{rng.choice(NAMES)}@{rng.choice(DOMAINS[provider])}"


def when():
    counter[0] += 1
    return DATE.format(counter[0] // 60 % 60, counter[0] % 60)


def original(r, crlf="\n"):
    n = counter[0]
    return (f"Return-Path: <{VERP}>\nReceived: from relay.example.com (relay.example.com [192.0.2.10])\n"
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s2026; h=from:to:subject;\n bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hrSCU=; b=dGVzdA==\n"
            f"From: Example News <{SENDER}>\nTo: {r}\nSubject: Your December newsletter\n"
            f"Date: Fri, 04 Dec 2026 09:00:00 +0000\nMessage-ID: <{n:06d}.newsletter@example.com>\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=utf-8\n")


def code_of(status):
    return status


def fill(text, r):
    return text.format(r=r, d=r.split("@")[1])


def write(name, text, rows):
    with open(os.path.join(OUT, name), "w", newline="\r\n") as f:
        f.write(text)
    for r, kind in rows:
        manifest.append((name, r, kind, "true" if kind in ("hard", "complaint") else "false"))


def dsn_fields(mta, r, status, diag, action="failed", remote="mx.{d}"):
    st = status or ("5.0.0" if diag.lstrip()[0] == "5" else "4.0.0")
    lines = [f"Final-Recipient: rfc822; {r}", f"Original-Recipient: rfc822;{r}" if rng.random() < 0.5 else None,
             f"Action: {action}", f"Status: {st}", f"Remote-MTA: dns; {fill(remote, r)}",
             f"Diagnostic-Code: smtp; {' '.join(l.strip() for l in fill(diag, r).splitlines())}"]
    return "\n".join(l for l in lines if l)


def multipart_report(headers, human, fields, reporting, r, boundary, html=None, attach="headers"):
    body = f"{headers}MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\n\n"
    body += f"This is a MIME-encapsulated message.\n\n--{boundary}\n"
    if html:
        alt = boundary + "-alt"
        body += f"Content-Type: multipart/alternative; boundary=\"{alt}\"\n\n--{alt}\nContent-Type: text/plain; charset=utf-8\n\n{human}\n--{alt}\nContent-Type: text/html; charset=utf-8\n\n{html}\n--{alt}--\n\n--{boundary}\n"
    else:
        body += f"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n{human}\n\n--{boundary}\n"
    body += f"Content-Description: Delivery report\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; {reporting}\nArrival-Date: {when()}\n\n{fields}\n\n--{boundary}\n"
    if attach == "headers":
        body += f"Content-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n{original(r)}\n--{boundary}--\n"
    else:
        body += f"Content-Description: Undelivered Message\nContent-Type: message/rfc822\n\n{original(r)}\nHello, this month's news.\n\n--{boundary}--\n"
    return body


def hdr(frm, subject, to=VERP, extra=""):
    return (f"Return-Path: <>\nReceived: from mx.example.net by bounces.example.com; {when()}\nDate: {when()}\n"
            f"From: {frm}\nTo: {to}\nSubject: {subject}\nMessage-ID: <{counter[0]:06d}.bounce@{frm.split('@')[-1].strip('>')}>\n{extra}")


def postfix(r, status, diag, kind):
    host = "mail.example.net"
    human = (f"This is the mail system at host {host}.\n\nI'm sorry to have to inform you that your message could not\n"
             f"be delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\n"
             f"If you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
             f"                   The mail system\n\n<{r}>: host mx.{r.split('@')[1]}[198.51.100.7] said:\n    {fill(diag, r)} (in reply to RCPT TO command)")
    return multipart_report(hdr(f"MAILER-DAEMON@{host} (Mail Delivery System)", "Undelivered Mail Returned to Sender"), human,
                            dsn_fields("postfix", r, status, diag), f"{host}", r, f"{counter[0]}.1733392800/{host}")


def sendmail(r, status, diag, kind):
    host = "smtp.example.org"
    human = (f"The original message was received at {when()}\nfrom relay.example.com [192.0.2.10]\n\n"
             f"   ----- The following addresses had permanent fatal errors -----\n<{r}>\n    (reason: {fill(diag, r).splitlines()[0]})\n\n"
             f"   ----- Transcript of session follows -----\n... while talking to mx.{r.split('@')[1]}.:\n>>> DATA\n<<< {fill(diag, r).splitlines()[0]}\n")
    return multipart_report(hdr(f"Mail Delivery Subsystem <MAILER-DAEMON@{host}>", "Returned mail: see transcript for details"), human,
                            dsn_fields("sendmail", r, status, diag), host, r, f"1B5AC{counter[0]}.1733392800/{host}", attach="message")


def exim(r, status, diag, kind):
    text = (hdr("Mail Delivery System <Mailer-Daemon@mx1.example.org>", "Mail delivery failed: returning message to sender",
                extra="Auto-Submitted: auto-replied\nX-Failed-Recipients: " + r + "\n") +
            f"\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\n"
            f"recipients. This is a permanent error. The following address(es) failed:\n\n  {r}\n    host mx.{r.split('@')[1]} [198.51.100.9]\n"
            f"    SMTP error from remote mail server after RCPT TO:<{r}>:\n    {fill(diag, r).splitlines()[0]}\n\n"
            f"------ This is a copy of the message, including all the headers. ------\n\n{original(r)}\nHello, this month's news.\n")
    return text


def qmail(r, status, diag, kind):
    return (hdr("MAILER-DAEMON@mail.example.de", "failure notice") +
            f"\nHi. This is the qmail-send program at mail.example.de.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n"
            f"This is a permanent error; I've given up. Sorry it didn't work out.\n\n<{r}>:\n198.51.100.20 does not like recipient.\n"
            f"Remote host said: {fill(diag, r).splitlines()[0]}\nGiving up on 198.51.100.20.\n\n--- Below this line is a copy of the message.\n\n{original(r)}\nHello.\n")


def exchange(r, status, diag, kind):
    d = fill(diag, r).splitlines()[0]
    human = (f"Delivery has failed to these recipients or groups:\n\n{r}\nThe email address you entered couldn't be found or the recipient's mail system refused it. "
             f"Please check the address and try again.\n\n\n\nDiagnostic information for administrators:\n\nGenerating server: AM6PR08MB1234.eurprd08.prod.outlook.com\n\n"
             f"{r}\nRemote Server returned '{d}'\n\nOriginal message headers:\n\n{original(r)}")
    html = (f"<html><body><p><b>Your message to {r} couldn't be delivered.</b></p><p>{r.split('@')[0]} wasn't found at {r.split('@')[1]}.</p>"
            f"<p>Remote Server returned '{d}'</p></body></html>")
    return multipart_report(hdr("Microsoft Outlook <postmaster@outlook.com>", "Undeliverable: Your December newsletter",
                                extra="Auto-Submitted: auto-replied\nX-MS-Exchange-Message-Is-Ndr:\n"), human,
                            dsn_fields("exchange", r, status, diag, remote="{d}.mail.protection.outlook.com"),
                            "AM6PR08MB1234.eurprd08.prod.outlook.com", r, f"_000_NDR{counter[0]}_", html=html, attach="message")


def exchange_plain(r, status, diag, kind):
    d = fill(diag, r).splitlines()[0]
    return (hdr("postmaster@corp.example.co.uk", "Undeliverable: Your December newsletter") +
            f"\nDelivery has failed to these recipients or groups:\n\n{r}\nYour message couldn't be delivered.\n\n"
            f"Diagnostic information for administrators:\n\nGenerating server: EXCH01.corp.example.co.uk\n\n{r}\n#{d} ##\n\n"
            f"Original message headers:\n\n{original(r)}")


def gmail(r, status, diag, kind):
    title = {"hard": "Address not found", "soft": "Delivery incomplete", "block": "Message blocked"}[kind]
    sentence = {"hard": f"Your message wasn't delivered to {r} because the address couldn't be found, or is unable to receive mail.",
                "soft": f"There was a temporary problem delivering your message to {r}. Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.",
                "block": f"Your message wasn't delivered to {r} because the remote server rejected it."}[kind]
    human = f"\n** {title} **\n\n{sentence}\n\nThe response from the remote server was:\n{fill(diag, r)}\n"
    subject = "Delivery Status Notification (Delay)" if kind == "soft" else "Delivery Status Notification (Failure)"
    return multipart_report(hdr("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", subject, to=f"app@example.com"), human,
                            dsn_fields("gmail", r, status, diag, action="delayed" if kind == "soft" else "failed"),
                            "googlemail.com", r, f"000000000000{counter[0]:08x}", attach="message")


def yahoo(r, status, diag, kind):
    return (hdr("MAILER-DAEMON@yahoo.com", "Failure Notice") +
            f"\nSorry, we were unable to deliver your message to the following address.\n\n<{r}>:\n"
            f"Remote host said: {fill(diag, r).splitlines()[0]} [RCPT_TO]\n\n--- Below this line is a copy of the message.\n\n{original(r)}\nHello.\n")


def ses(r, status, diag, kind):
    human = (f"An error occurred while trying to deliver the mail to the following recipients:\n{r}\n")
    return multipart_report(hdr("MAILER-DAEMON@amazonses.com", "Delivery Status Notification (Failure)", to="app@example.com"), human,
                            dsn_fields("ses", r, status, diag), "a8-12.smtp-out.amazonses.com", r, f"----={counter[0]}ses", attach="message")


def sendmail_plain(r, status, diag, kind):
    d = fill(diag, r).splitlines()[0]
    return (hdr("Mail Delivery Subsystem <MAILER-DAEMON@old.example.org>", "Returned mail: User unknown" if kind == "hard" else "Returned mail: see transcript for details") +
            f"\nThe original message was received at {when()}\nfrom relay.example.com [192.0.2.10]\n\n"
            f"   ----- The following addresses had permanent fatal errors -----\n<{r}>\n\n   ----- Transcript of session follows -----\n"
            f"... while talking to mx.{r.split('@')[1]}.:\n>>> RCPT To:<{r}>\n<<< {d}\n{d}\n\n   ----- Original message follows -----\n\n{original(r)}\nHello.\n")


FORMATS = {"postfix": (postfix, None), "sendmail": (sendmail, None), "exim": (exim, None), "qmail": (qmail, None),
           "exchange": (exchange, "microsoft"), "exchange-plain": (exchange_plain, None), "gmail": (gmail, "gmail"),
           "yahoo": (yahoo, "yahoo"), "ses": (ses, None), "sendmail-plain": (sendmail_plain, None)}

for fmt, (make, provider) in FORMATS.items():
    for kind, per in (("hard", 6), ("soft", 2), ("block", 3)):
        for i in range(per):
            status, diag = rng.choice(CATALOGUE[kind])
            r = recipient(provider)
            write(f"{fmt}-{kind}-{i + 1}.eml", make(r, status, diag, kind), [(r, kind)])

# delays and expiries
for i in range(3):
    r = recipient("other")
    body = multipart_report(hdr("MAILER-DAEMON@mail.example.net (Mail Delivery System)", "Delayed Mail (still being retried)"),
                            f"This is the mail system at host mail.example.net.\n\n####################################################################\n"
                            f"# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\n"
                            f"Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n"
                            f"<{r}>: connect to mx.{r.split('@')[1]}[198.51.100.4]:25: Connection timed out",
                            dsn_fields("postfix", r, "4.4.1", "connect to mx.{d}[198.51.100.4]:25: Connection timed out", action="delayed"),
                            "mail.example.net", r, f"delay{i}")
    write(f"postfix-delayed-{i + 1}.eml", body, [(r, "soft")])
for i in range(3):
    r = recipient("other")
    body = (hdr("Mail Delivery System <Mailer-Daemon@mx1.example.org>", "Warning: message 1t5ABC-000123-4x delayed 24 hours",
                extra="Auto-Submitted: auto-replied\n") +
            f"\nThis message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\n"
            f"recipients after more than 24 hours on the queue on mx1.example.org.\n\nThe message identifier is:     1t5ABC-000123-4x\n\n"
            f"The address to which the message has not yet been delivered is:\n\n  {r}\n    host mx.{r.split('@')[1]} [198.51.100.9]\n"
            f"    Delay reason: SMTP error from remote mail server after RCPT TO:<{r}>:\n    451 Temporary local problem - please try later\n\n"
            f"No action is required on your part. Delivery attempts will continue for\nsome time, and this warning may be repeated at intervals if the message\nremains undelivered.\n")
    write(f"exim-delayed-{i + 1}.eml", body, [(r, "soft")])
for i in range(2):
    r = recipient("other")
    body = (hdr("Mail Delivery System <Mailer-Daemon@mx1.example.org>", "Mail delivery failed: returning message to sender") +
            f"\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\n"
            f"recipients. This is a permanent error. The following address(es) failed:\n\n  {r}\n    retry timeout exceeded\n\n"
            f"------ This is a copy of the message, including all the headers. ------\n\n{original(r)}\nHello.\n")
    write(f"exim-expired-{i + 1}.eml", body, [(r, "soft")])
for i in range(2):
    r = recipient("other")
    body = (hdr("Mail Delivery System <Mailer-Daemon@mx1.example.org>", "Mail delivery failed: returning message to sender") +
            f"\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\n"
            f"recipients. This is a permanent error. The following address(es) failed:\n\n  {r}\n    Unrouteable address\n\n"
            f"------ This is a copy of the message, including all the headers. ------\n\n{original(r)}\nHello.\n")
    write(f"exim-unrouteable-{i + 1}.eml", body, [(r, "hard")])

# several recipients in one report
for i in range(4):
    rs = [recipient() for _ in range(3)]
    kinds = [rng.choice(["hard", "soft", "block"]) for _ in rs]
    picks = [rng.choice(CATALOGUE[k]) for k in kinds]
    fields = "\n\n".join(dsn_fields("postfix", r, s, d) for r, (s, d) in zip(rs, picks))
    human = "This is the mail system at host mail.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" + \
            "\n".join(f"<{r}>: host mx.{r.split('@')[1]}[198.51.100.7] said: {fill(d, r).splitlines()[0]}" for r, (s, d) in zip(rs, picks))
    body = multipart_report(hdr("MAILER-DAEMON@mail.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender"), human, fields,
                            "mail.example.net", rs[0], f"multi{i}")
    write(f"postfix-multi-{i + 1}.eml", body, list(zip(rs, kinds)))

# complaints (RFC 5965)
def arf(r, feedback_type, agent, original_rcpt=True, to_redacted=False, extra_fields=""):
    b = f"arf{counter[0]}"
    shown = "redacted@" + r.split("@")[1] if to_redacted else r
    fields = f"Feedback-Type: {feedback_type}\nUser-Agent: {agent}\nVersion: 1\nOriginal-Mail-From: <{VERP}>\n"
    if original_rcpt:
        fields += f"Original-Rcpt-To: <{r}>\n"
    fields += f"Arrival-Date: {when()}\nSource-IP: 192.0.2.10\nReported-Domain: example.com\n{extra_fields}"
    return (hdr(f"{agent.split('/')[0].split(' ')[0].lower()}-fbl@{r.split('@')[1]}", "Complaint about message from 192.0.2.10" if feedback_type != "auth-failure" else "FW: DMARC failure report for example.com", to="fbl@example.com") +
            f"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report;\n\tboundary=\"{b}\"\n\n--{b}\nContent-Type: text/plain; charset=us-ascii\n\n"
            f"This is an email abuse report for an email message received from IP 192.0.2.10 on {when()}.\n\n--{b}\n"
            f"Content-Type: message/feedback-report\n\n{fields}\n--{b}\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n"
            f"{original(shown)}\nHello, this month's news.\n\n--{b}--\n")


complaint_specs = [("abuse", "Yahoo!-Mail-Feedback/2.0", True, False, "yahoo"), ("abuse", "Microsoft Junk Mail Reporting Program", False, False, "microsoft"),
                   ("abuse", "AOL SComp", False, True, "other"), ("fraud", "SomeGenerator/1.0", True, False, "other"),
                   ("opt-out", "ExampleISP-FBL/3.1", True, False, "other"), ("virus", "SomeGenerator/1.0", True, False, "other"),
                   ("other", "Comcast FBL/1.0", True, False, "other"), ("abuse", "Mail.ru Feedback/1.0", False, False, "other"),
                   ("abuse", "Yahoo!-Mail-Feedback/2.0", True, False, "yahoo"), ("abuse", "Microsoft Junk Mail Reporting Program", False, False, "microsoft"),
                   ("abuse", "Amazon SES Feedback/1.0", True, False, "other"), ("abuse", "Fastmail FBL/1.0", False, False, "other"),
                   ("opt-out", "ExampleISP-FBL/3.1", False, False, "other"), ("abuse", "Yahoo!-Mail-Feedback/2.0", True, False, "yahoo")]
for i, (ftype, agent, rcpt, redacted, provider) in enumerate(complaint_specs):
    r = recipient(provider)
    write(f"arf-{ftype}-{i + 1}.eml", arf(r, ftype, agent, rcpt, redacted), [("" if redacted and not rcpt else r, "complaint")])
for i in range(3):
    r = recipient()
    write(f"arf-auth-failure-{i + 1}.eml", arf(r, "auth-failure", "DMARC-Failure-Reporter/1.0", True, False,
                                               "Auth-Failure: dkim\nDelivery-Result: reject\nDKIM-Domain: example.com\nDKIM-Selector: s2026\nIdentity-Alignment: dkim\n"),
          [(r, "auth-failure")])

# automatic replies (RFC 3834 and older habits)
def reply(r, subject, extra, body):
    return (f"Return-Path: <>\nDate: {when()}\nFrom: {r.split('@')[0].title()} <{r}>\nTo: {SENDER}\nSubject: {subject}\n"
            f"Message-ID: <{counter[0]:06d}.auto@{r.split('@')[1]}>\nIn-Reply-To: <{counter[0]:06d}.newsletter@example.com>\n{extra}"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")


auto_specs = [
    ("Automatic reply: Your December newsletter", "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: {r}\n", "I am out of the office until 4 January with limited access to email."),
    ("Out of Office: Your December newsletter", "Auto-Submitted: auto-replied\n", "I'm away until Monday. For urgent matters contact my colleague."),
    ("Re: Your December newsletter", "Auto-Submitted: auto-replied (vacation)\nPrecedence: bulk\n", "I am on vacation and will reply when I return."),
    ("Auto: Your December newsletter", "X-Autoreply: yes\n", "Thank you for your email. I am currently out of the office."),
    ("Re: Your December newsletter", "Precedence: auto_reply\n", "This mailbox is not monitored. Your message has been received."),
    ("Abwesenheitsnotiz: Your December newsletter", "Auto-Submitted: auto-replied\n", "Ich bin bis zum 10. Januar nicht im Büro."),
    ("Réponse automatique : Your December newsletter", "X-Autorespond: yes\n", "Je suis absent du bureau jusqu'au 5 janvier."),
    ("Vacation reply", "", "I'm on holiday until next week and will read your message when I am back."),
    ("Out of the office", "", "Thanks for your message, I am out of the office this week."),
    ("Respuesta automática: Your December newsletter", "Auto-Submitted: auto-replied\n", "Estoy fuera de la oficina."),
    ("Re: Your December newsletter", "X-Autoresponder: Example Helpdesk\n", "We received your request and will answer within two business days."),
    ("Automatic reply: Your December newsletter", "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n", "I have left the company. Please contact sales@example.net instead."),
]
for i, (subject, extra, text) in enumerate(auto_specs):
    r = recipient()
    write(f"autoreply-{i + 1}.eml", reply(r, subject, extra.format(r=r), text), [(r, "autoreply")])
for i in range(2):
    r = recipient()
    b = f"mdn{i}"
    body = (f"Return-Path: <>\nDate: {when()}\nFrom: <{r}>\nTo: {SENDER}\nSubject: Read: Your December newsletter\nMessage-ID: <{counter[0]:06d}.mdn@{r.split('@')[1]}>\n"
            f"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=\"{b}\"\n\n--{b}\nContent-Type: text/plain\n\n"
            f"Your message was displayed on {when()}.\n\n--{b}\nContent-Type: message/disposition-notification\n\nReporting-UA: mail.{r.split('@')[1]}; Webmail\n"
            f"Final-Recipient: rfc822;{r}\nOriginal-Message-ID: <000001.newsletter@example.com>\nDisposition: manual-action/MDN-sent-manually; displayed\n\n--{b}--\n")
    write(f"mdn-read-{i + 1}.eml", body, [(r, "autoreply")])

# not feedback at all, and a broken one: nothing to find, nothing to suppress
write("not-a-bounce-1.eml", f"Date: {when()}\nFrom: Someone <someone@example.net>\nTo: {SENDER}\nSubject: Question about your product\n\nHello, could you send me the price list?\n", [("", "unknown")])
write("not-a-bounce-2.eml", f"Date: {when()}\nFrom: Reader <reader@example.org>\nTo: {SENDER}\nSubject: Re: Your December newsletter\n\nThanks, I liked the article on DMARC.\n", [("", "unknown")])
write("truncated-dsn-1.eml", hdr("MAILER-DAEMON@mail.example.net", "Undelivered Mail Returned to Sender") +
      "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"cut\"\n\n--cut\nContent-Type: text/plain\n\nThis is the mail sys", [("", "unknown")])

with open(os.path.join(OUT, "manifest.csv"), "w", newline="\n") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["file", "recipient", "kind", "suppress"])
    w.writerows(manifest)
print(len({m[0] for m in manifest}), "files,", len(manifest), "rows")
