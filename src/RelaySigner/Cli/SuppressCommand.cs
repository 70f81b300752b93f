using System.CommandLine;
using System.Globalization;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner suppress list|add|remove|import|export</c>: the suppression list in the relay's queue database
/// (the SQLite folder or the shared PostgreSQL database, from the same configuration as <c>run</c>), read and changed
/// while relays run. Exit codes: 0 done, 1 nothing to remove, 2 input that cannot be used (with its line number),
/// 3 the PostgreSQL database cannot be used, 78 the configuration.
/// </summary>
internal static class SuppressCommand
{
    public static Command Create() =>
        new("suppress", "The suppression list: recipients not delivered to for mail from a domain (hard bounces, complaints, unsubscribes, an operator's entries).")
        {
            List(),
            Add(),
            Remove(),
            Import(),
            Export(),
        };

    private static Command List()
    {
        var domain = SuppressCli.DomainOption("Only the entries of this (organisational) domain");
        var json = QueueCli.JsonOption();
        var list = QueueCli.Verb("list", "List suppressed recipients by domain then recipient.");
        list.Options.Add(domain);
        list.Options.Add(json);
        list.SetAction(parseResult => SuppressCli.Run(parseResult, async store =>
        {
            var entries = await ToListAsync(store.ListAsync(parseResult.GetValue(domain), CancellationToken.None));
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                QueueCli.WriteJson(parseResult, entries.Select(e => new
                {
                    e.Domain,
                    e.Recipient,
                    Reason = SuppressionReasons.Name(e.Reason),
                    e.Since,
                    e.Status,
                    QueueId = e.QueueId?.Value,
                }));
            }
            else if (entries.Count == 0)
            {
                output.WriteLine("No suppressed recipients.");
            }
            else
            {
                foreach (var e in entries)
                {
                    output.WriteLine($"{e.Domain}  <{e.Recipient}>  {SuppressionReasons.Name(e.Reason)}  since {QueueCommand.Time(e.Since)}" +
                        (e.Status is null ? "" : $"  {e.Status}") + (e.QueueId is null ? "" : $"  {e.QueueId}"));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {entries.Count} suppressed recipients."));
            }

            return 0;
        }));
        return list;
    }

    private static Command Add()
    {
        var domain = SuppressCli.DomainOption("The (organisational) From domain whose mail is not delivered to the recipient");
        domain.Required = true;
        var recipient = SuppressCli.RecipientOption();
        var reason = new Option<string>("--reason") { Description = "hard-bounce, complaint, unsubscribe or manual (default)" };
        var add = QueueCli.Verb("add", "Suppress a recipient for mail from a domain. An entry already there keeps its first reason and time.");
        add.Options.Add(domain);
        add.Options.Add(recipient);
        add.Options.Add(reason);
        add.SetAction(parseResult =>
        {
            var (entry, problem) = SuppressEntry.Parse(parseResult.GetValue(domain), parseResult.GetValue(recipient),
                parseResult.GetValue(reason), null, null, DateTimeOffset.UtcNow);
            if (entry is null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return SuppressCli.UsageError;
            }

            return SuppressCli.Run(parseResult, async store =>
            {
                var added = await store.AddAsync([entry], CancellationToken.None);
                parseResult.InvocationConfiguration.Output.WriteLine(added == 1
                    ? $"{entry.Domain}: <{entry.Recipient}> suppressed"
                    : $"{entry.Domain}: <{entry.Recipient}> was already suppressed; its first entry stays");
                return 0;
            });
        });
        return add;
    }

    private static Command Remove()
    {
        var domain = SuppressCli.DomainOption("The (organisational) From domain of the entry");
        domain.Required = true;
        var recipient = SuppressCli.RecipientOption();
        var remove = QueueCli.Verb("remove", "Deliver to a recipient again: remove its entry for a domain (exit code 1 when there is none).");
        remove.Options.Add(domain);
        remove.Options.Add(recipient);
        remove.SetAction(parseResult => SuppressCli.Run(parseResult, async store =>
        {
            var (name, address) = (parseResult.GetValue(domain)!, parseResult.GetValue(recipient)!);
            if (await store.RemoveAsync(name, address, CancellationToken.None))
            {
                parseResult.InvocationConfiguration.Output.WriteLine($"{SuppressionKey.Domain(name)}: <{address}> removed");
                return 0;
            }

            parseResult.InvocationConfiguration.Error.WriteLine($"{SuppressionKey.Domain(name)}: <{address}> is not suppressed");
            return 1;
        }));
        return remove;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with the header domain,recipient,reason,since,status" };
        var domain = SuppressCli.DomainOption("The domain of lines that leave the domain field empty");
        var import = QueueCli.Verb("import",
            "Add the entries of a CSV file in one transaction: all or none (a line that cannot be used is reported with its number, exit code 2). Importing a file again changes nothing.");
        import.Arguments.Add(file);
        import.Options.Add(domain);
        import.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(file)!;
            List<Suppression> entries;
            string? problem;
            try
            {
                using var reader = new StreamReader(path.FullName);
                (entries, problem) = SuppressCsv.Read(reader, parseResult.GetValue(domain), DateTimeOffset.UtcNow);
            }
            catch (IOException ex)
            {
                problem = ex.Message;
                entries = [];
            }

            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {path.Name}: {problem}; nothing imported");
                return SuppressCli.UsageError;
            }

            return SuppressCli.Run(parseResult, async store =>
            {
                var added = await store.AddAsync(entries, CancellationToken.None);
                parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{entries.Count} entries read, {added} new, {entries.Count - added} already suppressed"));
                return 0;
            });
        });
        return import;
    }

    private static Command Export()
    {
        var domain = SuppressCli.DomainOption("Only the entries of this (organisational) domain");
        var export = QueueCli.Verb("export", "Write the suppression list as CSV (domain,recipient,reason,since,status) to standard output.");
        export.Options.Add(domain);
        export.SetAction(parseResult => SuppressCli.Run(parseResult, async store =>
        {
            await SuppressCsv.WriteAsync(parseResult.InvocationConfiguration.Output, store.ListAsync(parseResult.GetValue(domain), CancellationToken.None),
                CancellationToken.None);
            return 0;
        }));
        return export;
    }

    private static async Task<List<Suppression>> ToListAsync(IAsyncEnumerable<Suppression> entries)
    {
        var list = new List<Suppression>();
        await foreach (var entry in entries)
        {
            list.Add(entry);
        }

        return list;
    }
}
