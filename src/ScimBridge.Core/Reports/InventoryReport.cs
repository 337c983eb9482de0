using Microsoft.Extensions.Options;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Core.Reports;

/// <summary>
/// The non-human identity inventory: every API key and service account of every target (or one), with its owner
/// mapped to the IdP identity, its age and last use, and the flags orphaned, stale, unrotated and shadow; plus the
/// platform users no IdP identity owns (shadow users). Read live from the platforms; nothing is stored.
/// </summary>
public sealed class InventoryReport(IPlatformRegistry platforms, IdentitySource identities, IOptions<ReportOptions> options, TimeProvider time)
{
    public async Task<InventoryReportResult> BuildAsync(string? target, string? flag, CancellationToken cancellationToken)
    {
        if (flag is not null && !InventoryTerms.Flags.Contains(flag, StringComparer.Ordinal))
        {
            throw new ArgumentException($"flag is one of {string.Join(", ", InventoryTerms.Flags)}; got '{flag}'.", nameof(flag));
        }

        var adapters = ReportTargets.Select(platforms, target);
        var index = await IdentityIndex.LoadAsync(identities, cancellationToken).ConfigureAwait(false);
        var thresholds = new InventoryThresholds(options.Value.StaleDays, options.Value.UnrotatedDays);
        return await InventoryBuilder.BuildAsync(adapters, index, thresholds, time.GetUtcNow(), flag, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Resolves the "target" parameter of every report: one target by name (404 when unknown), or all.</summary>
public static class ReportTargets
{
    public static IReadOnlyList<IPlatformAdapter> Select(IPlatformRegistry platforms, string? target)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        if (target is null)
        {
            return platforms.Adapters;
        }

        return platforms.Find(target) is { } adapter ? [adapter] : throw new NotFoundException($"No platform target '{target}'.");
    }
}

/// <summary>
/// The inventory over given adapters and identities (what <see cref="InventoryReport"/> and the benchmark share).
/// Per target: its accounts once (to resolve owners named only by id, and to find shadow users), then its credentials
/// streamed a page at a time, each turned into a small item at once.
/// </summary>
public static class InventoryBuilder
{
    public static async Task<InventoryReportResult> BuildAsync(
        IReadOnlyList<IPlatformAdapter> adapters, IdentityIndex index, InventoryThresholds thresholds, DateTimeOffset now, string? flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(index);
        var items = new List<InventoryItem>();
        var errors = new List<TargetReadError>();
        foreach (var adapter in adapters)
        {
            try
            {
                await ReadTargetAsync(adapter, index, thresholds, now, items, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformException e)
            {
                // One unreachable platform must not hide the others' keys; the report says which target it could not read.
                errors.Add(new TargetReadError(adapter.Target.Name, e.Message));
            }
        }

        var counts = new InventoryCounts(
            items.Count,
            items.Count(i => i.Flags.Contains(InventoryTerms.Orphaned)),
            items.Count(i => i.Flags.Contains(InventoryTerms.Stale)),
            items.Count(i => i.Flags.Contains(InventoryTerms.Unrotated)),
            items.Count(i => i.Flags.Contains(InventoryTerms.Shadow)));
        IReadOnlyList<InventoryItem> shown = flag is null ? items : [.. items.Where(i => i.Flags.Contains(flag))];
        return new InventoryReportResult(now, thresholds, counts, shown) { Errors = errors };
    }

    private static async Task ReadTargetAsync(
        IPlatformAdapter adapter, IdentityIndex index, InventoryThresholds thresholds, DateTimeOffset now, List<InventoryItem> items, CancellationToken cancellationToken)
    {
        var target = adapter.Target;
        var pool = new StringPool();
        var accounts = new Dictionary<string, PlatformAccount>(StringComparer.Ordinal);
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken).ConfigureAwait(false))
        {
            accounts[account.Id] = account;
        }

        if (adapter is ICredentialReader reader)
        {
            var reportsLastUse = PlatformFacts.ReportsLastUse(target.Platform);
            var first = items.Count;

            // A service account's last use is its newest key's (the account itself has no last-use field).
            var serviceAccountUse = new Dictionary<(string?, string), DateTimeOffset>();
            await foreach (var credential in Pages.ReadAllAsync(reader.ListCredentialsAsync, cancellationToken).ConfigureAwait(false))
            {
                if (credential.Kind == CredentialKind.ServiceAccountKey && credential.Owner is { Kind: PrincipalKind.ServiceAccount } sa && credential.LastUsedAt is { } used)
                {
                    var key = (credential.ContainerId, sa.Id);
                    serviceAccountUse[key] = serviceAccountUse.TryGetValue(key, out var seen) && seen > used ? seen : used;
                }

                items.Add(ToItem(target, credential, accounts, index, thresholds, now, reportsLastUse, pool));
            }

            if (serviceAccountUse.Count > 0)
            {
                for (var i = first; i < items.Count; i++)
                {
                    if (items[i].Kind == InventoryTerms.ServiceAccount && serviceAccountUse.TryGetValue((items[i].Container, items[i].Id), out var used))
                    {
                        var facts = new CredentialFacts(items[i].Status == "active", false, OwnerState.ServiceAccount, items[i].Created, used, reportsLastUse);
                        items[i] = items[i] with { LastUsed = used, Flags = CredentialFlags.For(facts, now, thresholds) };
                    }
                }
            }
        }

        // Platform users no IdP identity owns: shadow access, listed beside the keys so one report shows every unowned actor.
        foreach (var account in accounts.Values)
        {
            if (account.IsServiceAccount || account.Status == AccountStatus.Removed || account.Email is null || index.Find(account.Email) is not null)
            {
                continue;
            }

            var active = account.Status == AccountStatus.Active;
            var facts = new CredentialFacts(active, false, OwnerState.NoIdentity, account.AddedAt, account.LastActiveAt, LastUseReported: false);
            items.Add(new InventoryItem(
                target.Name, target.Platform, InventoryTerms.User, account.Id, account.Name, null, active ? "active" : "inactive",
                new InventoryOwner(account.Id, account.Email, null), account.AddedAt, account.LastActiveAt, CredentialFlags.AgeDays(account.AddedAt, now),
                CredentialFlags.For(facts, now, thresholds)));
        }
    }

    private static InventoryItem ToItem(
        PlatformTarget target,
        PlatformCredential credential,
        Dictionary<string, PlatformAccount> accounts,
        IdentityIndex index,
        InventoryThresholds thresholds,
        DateTimeOffset now,
        bool reportsLastUse,
        StringPool pool)
    {
        var (state, owner) = Owner(credential, accounts, index, pool);
        var active = credential.Status == CredentialStatus.Active;
        var isServiceAccount = credential.Kind == CredentialKind.ServiceAccount;
        var facts = new CredentialFacts(active, !isServiceAccount, state, credential.CreatedAt, credential.LastUsedAt, reportsLastUse);
        return new InventoryItem(
            target.Name,
            target.Platform,
            isServiceAccount ? InventoryTerms.ServiceAccount : InventoryTerms.ApiKey,
            credential.Id,
            credential.Name,
            pool.Get(credential.ContainerId),
            active ? "active" : "inactive",
            owner,
            credential.CreatedAt,
            credential.LastUsedAt,
            CredentialFlags.AgeDays(credential.CreatedAt, now),
            CredentialFlags.For(facts, now, thresholds));
    }

    private static (OwnerState State, InventoryOwner? Owner) Owner(PlatformCredential credential, Dictionary<string, PlatformAccount> accounts, IdentityIndex index, StringPool pool)
    {
        if (credential.Kind == CredentialKind.ServiceAccount)
        {
            return (OwnerState.ServiceAccount, null);
        }

        switch (credential.Owner)
        {
            case null:
                return (OwnerState.Unknown, null);
            case { Kind: PrincipalKind.ServiceAccount } sa:
                return (OwnerState.ServiceAccount, new InventoryOwner(pool.Get(sa.Id), null, null));
        }

        var user = credential.Owner;
        if (pool.Owners.TryGetValue(user.Id, out var known))
        {
            return known;
        }

        accounts.TryGetValue(user.Id, out var account);

        // Anthropic names a key's creator by id only; the account listing gives the email.
        var email = user.Email ?? account?.Email;
        var identity = index.Find(email);
        var state = identity is { Active: false } ? OwnerState.Deprovisioned
            : account is null || account.Status == AccountStatus.Removed ? OwnerState.Gone
            : identity is null ? OwnerState.NoIdentity
            : OwnerState.Identity;
        // The same owner is the same answer for each of their keys: one object, resolved once.
        return pool.Owners[user.Id] = (state, new InventoryOwner(user.Id, email, identity));
    }
}

/// <summary>
/// One instance per distinct value: each key's listing carries its own copy of the project id and the owner's id and
/// email, and 200,000 keys of a few hundred owners would otherwise keep 200,000 copies of each alive in the report.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>Each user owner, resolved (email, identity, state) once per target.</summary>
    public Dictionary<string, (OwnerState State, InventoryOwner Owner)> Owners { get; } = new(StringComparer.Ordinal);

    public string? Get(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!_strings.TryGetValue(value, out var pooled))
        {
            _strings[value] = pooled = value;
        }

        return pooled;
    }
}
