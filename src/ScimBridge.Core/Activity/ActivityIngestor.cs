using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reconciliation;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Activity;

public sealed record IngestResult(string Target, int Read, int Stored, string? Error);

/// <summary>
/// Ingests each target's activity (audit logs, daily usage) from its cursor up to now, attributes every event to the
/// IdP identity at ingest time (by the actor's email, else its platform user id through the account list, else the
/// API key's owner), flags events by a deprovisioned identity or an unknown key, and stores them idempotently (the same
/// event read twice is stored once). The cursor moves only after a target's read completed.
/// </summary>
public sealed partial class ActivityIngestor(
    IPlatformRegistry platforms, IdentitySource identities, IActivityStore store, IOptions<ActivityOptions> options, TimeProvider time, ILogger<ActivityIngestor> logger)
{
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(string? target, CancellationToken cancellationToken)
    {
        var adapters = ReportTargets.Select(platforms, target);
        var index = await IdentityIndex.LoadAsync(identities, cancellationToken).ConfigureAwait(false);
        var results = new List<IngestResult>();
        foreach (var adapter in adapters)
        {
            if (adapter is not IActivityReader reader)
            {
                continue;
            }

            try
            {
                results.Add(await IngestTargetAsync(adapter, reader, index, cancellationToken).ConfigureAwait(false));
            }
            catch (PlatformException e)
            {
                LogIngestFailed(logger, adapter.Target.Name, e);
                results.Add(new IngestResult(adapter.Target.Name, 0, 0, e.Message));
            }
        }

        return results;
    }

    private async Task<IngestResult> IngestTargetAsync(IPlatformAdapter adapter, IActivityReader reader, IdentityIndex index, CancellationToken cancellationToken)
    {
        var name = adapter.Target.Name;
        var now = time.GetUtcNow();
        var settings = options.Value;
        var since = (await store.GetCursorAsync(name, cancellationToken).ConfigureAwait(false) ?? now.AddDays(-settings.InitialLookbackDays)) - settings.Overlap;
        var attribution = new Attribution(adapter, index);
        var read = 0;
        var stored = 0;
        var query = new ActivityQuery(since, now);
        string? token = null;
        do
        {
            var page = await reader.ListActivityAsync(query, token, cancellationToken).ConfigureAwait(false);
            var records = new List<ActivityRecord>(page.Items.Count);
            foreach (var activity in page.Items)
            {
                records.Add(await attribution.ToRecordAsync(activity, cancellationToken).ConfigureAwait(false));
            }

            read += records.Count;
            if (records.Count > 0)
            {
                stored += await store.AppendAsync(records, now, cancellationToken).ConfigureAwait(false);
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        await store.SetCursorAsync(name, now, cancellationToken).ConfigureAwait(false);
        LogIngested(logger, name, read, stored);
        return new IngestResult(name, read, stored, null);
    }

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "Activity of target {Target}: {Read} events read, {Stored} new")]
    private static partial void LogIngested(ILogger logger, string target, int read, int stored);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Activity of target {Target} could not be read")]
    private static partial void LogIngestFailed(ILogger logger, string target, Exception exception);

    /// <summary>One target's attribution context; the account and key lists are read once, when first needed.</summary>
    private sealed class Attribution(IPlatformAdapter adapter, IdentityIndex index)
    {
        private Dictionary<string, PlatformAccount>? _accounts;
        private Dictionary<string, PlatformCredential>? _credentials;

        public async Task<ActivityRecord> ToRecordAsync(PlatformActivity activity, CancellationToken cancellationToken)
        {
            var email = activity.ActorEmail;
            if (email is null && activity.ActorAccountId is { } accountId)
            {
                email = (await AccountsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(accountId)?.Email;
            }

            PlatformCredential? key = null;
            if (activity.ActorCredentialId is { } keyId)
            {
                key = (await CredentialsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(keyId);
                if (email is null && key?.Owner is { Kind: PrincipalKind.User } owner)
                {
                    email = owner.Email ?? (await AccountsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(owner.Id)?.Email;
                }
            }

            var identity = index.Find(email);
            var flags = new List<string>(1);
            if (identity is { Active: false })
            {
                flags.Add(ActivityFlags.Deprovisioned);
            }

            var serviceAccountKey = key is { Kind: CredentialKind.ServiceAccountKey } || key?.Owner?.Kind == PrincipalKind.ServiceAccount;
            if (activity.ActorCredentialId is not null && identity is null && !serviceAccountKey)
            {
                flags.Add(ActivityFlags.UnknownKey);
            }

            var target = adapter.Target;
            return new ActivityRecord(
                target.Name, target.Platform, activity.Id, activity.OccurredAt, activity.Type,
                new ActivityActor(activity.ActorAccountId, email, activity.ActorCredentialId), identity, activity.IpAddress, activity.UserAgent, flags);
        }

        private async Task<Dictionary<string, PlatformAccount>> AccountsAsync(CancellationToken cancellationToken)
        {
            if (_accounts is null)
            {
                var accounts = new Dictionary<string, PlatformAccount>(StringComparer.Ordinal);
                await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken).ConfigureAwait(false))
                {
                    accounts[account.Id] = account;
                }

                _accounts = accounts;
            }

            return _accounts;
        }

        private async Task<Dictionary<string, PlatformCredential>> CredentialsAsync(CancellationToken cancellationToken)
        {
            if (_credentials is null)
            {
                var credentials = new Dictionary<string, PlatformCredential>(StringComparer.Ordinal);
                if (adapter is ICredentialReader reader)
                {
                    await foreach (var credential in Pages.ReadAllAsync(reader.ListCredentialsAsync, cancellationToken).ConfigureAwait(false))
                    {
                        credentials.TryAdd(credential.Id, credential);
                    }
                }

                _credentials = credentials;
            }

            return _credentials;
        }
    }
}
