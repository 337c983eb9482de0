namespace ScimBridge.Core.Reports;

/// <summary>Who owns a credential, as far as the platform and the IdP together can tell.</summary>
public enum OwnerState
{
    /// <summary>The owner is a platform user whose email is an active IdP identity.</summary>
    Identity,

    /// <summary>The owner's IdP identity is deactivated: a leaver whose key outlived them.</summary>
    Deprovisioned,

    /// <summary>The owner user is no longer a member of the platform organisation.</summary>
    Gone,

    /// <summary>The platform names no owner.</summary>
    Unknown,

    /// <summary>The owner is a platform user that no IdP identity matches (added by hand, outside the IdP).</summary>
    NoIdentity,

    /// <summary>A service account, or a key of one: no person in the IdP owns it.</summary>
    ServiceAccount,
}

/// <summary>What the flags of one inventory item are computed from.</summary>
/// <param name="Active">Only an active credential is flagged: an inactive, archived or expired one cannot authenticate.</param>
/// <param name="Rotatable">A secret that ages (a key), as opposed to a service account, which holds keys.</param>
/// <param name="Owner">Who owns it.</param>
/// <param name="Created">When it was made, if the platform says.</param>
/// <param name="LastUsed">When it was last used, if the platform says.</param>
/// <param name="LastUseReported">
/// Whether the platform reports last use for this kind at all, so that "never used" (no last use, on a platform that
/// would give one) can be told from "cannot know" (Anthropic's key listing has no last use).
/// </param>
public sealed record CredentialFacts(bool Active, bool Rotatable, OwnerState Owner, DateTimeOffset? Created, DateTimeOffset? LastUsed, bool LastUseReported);

/// <summary>The inventory's flags, as a pure function of the facts, the clock's now and the thresholds.</summary>
public static class CredentialFlags
{
    // One shared list per combination of the four flags (in their fixed order), so 200,000 items hold no flag lists of
    // their own.
    private static readonly IReadOnlyList<string>[] Combinations = [.. Enumerable.Range(0, 16).Select(mask =>
        (IReadOnlyList<string>)[.. InventoryTerms.Flags.Where((_, bit) => (mask & (1 << bit)) != 0)])];

    public static IReadOnlyList<string> For(CredentialFacts facts, DateTimeOffset now, InventoryThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (!facts.Active)
        {
            return [];
        }

        var mask = 0;
        if (facts.Owner is OwnerState.Deprovisioned or OwnerState.Gone or OwnerState.Unknown)
        {
            mask |= 1;
        }

        // Never used since it was made counts from its creation: a key made 60 days ago and never used is stale.
        var idleSince = facts.LastUsed ?? (facts.LastUseReported ? facts.Created : null);
        if (idleSince is { } idle && now - idle >= TimeSpan.FromDays(thresholds.StaleDays))
        {
            mask |= 2;
        }

        if (facts.Rotatable && facts.Created is { } created && now - created >= TimeSpan.FromDays(thresholds.UnrotatedDays))
        {
            mask |= 4;
        }

        if (facts.Owner is OwnerState.NoIdentity or OwnerState.ServiceAccount)
        {
            mask |= 8;
        }

        return Combinations[mask];
    }

    /// <summary>Whole days since <paramref name="created"/>, or null when the platform does not say.</summary>
    public static int? AgeDays(DateTimeOffset? created, DateTimeOffset now) =>
        created is { } c ? (int)Math.Max(0, Math.Floor((now - c).TotalDays)) : null;
}
