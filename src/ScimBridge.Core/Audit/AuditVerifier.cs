namespace ScimBridge.Core.Audit;

/// <summary>How a chain link is broken.</summary>
public enum AuditBreak
{
    /// <summary>The event's content no longer matches its own hash: a field, or its stored hashes, were changed.</summary>
    Edited,

    /// <summary>A gap in the sequence: the events between the last good one and this one were deleted.</summary>
    Missing,

    /// <summary>
    /// The event is intact but does not follow the event before it: events were swapped or moved, or one was deleted and
    /// the later ones renumbered to hide the gap.
    /// </summary>
    Reordered,

    /// <summary>The chain ends before its recorded head: the newest events were deleted (or the head was altered).</summary>
    Truncated,
}

/// <summary>The outcome of a verification: intact, or the first broken link and what does not match.</summary>
public sealed record AuditVerification(bool Intact, long Checked, long HeadSequence, string HeadHash, long? FirstBrokenSequence, AuditBreak? Break, string? Detail);

/// <summary>Walks the chain in sequence order from its base and reports the first broken link (pure: no I/O).</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(AuditAnchor anchor, IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(records);
        var expected = anchor.BaseSequence + 1;
        var previousHash = anchor.BaseHash;
        long checkedCount = 0;

        AuditVerification Broken(long sequence, AuditBreak kind, string detail) =>
            new(false, checkedCount, anchor.HeadSequence, anchor.HeadHash, sequence, kind, detail);

        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (record.Sequence > anchor.HeadSequence)
            {
                // Appended after the head was read: outside this verification's snapshot.
                break;
            }

            if (record.Sequence < expected)
            {
                return Broken(record.Sequence, AuditBreak.Reordered, $"event {record.Sequence} appears after event {expected - 1}: sequence numbers are out of order.");
            }

            if (record.Sequence > expected)
            {
                var last = record.Sequence - 1;
                return Broken(expected, AuditBreak.Missing, last == expected
                    ? $"event {expected} is missing (deleted)."
                    : $"events {expected} to {last} are missing (deleted).");
            }

            if (AuditChain.Hash(record.PreviousHash, record.Event) != record.Hash)
            {
                return Broken(record.Sequence, AuditBreak.Edited, $"event {record.Sequence}'s content does not match its hash: it was edited.");
            }

            if (!string.Equals(record.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return Broken(record.Sequence, AuditBreak.Reordered,
                    $"event {record.Sequence} is intact but does not follow event {record.Sequence - 1}: events were moved, or one before it was deleted and the rest renumbered.");
            }

            previousHash = record.Hash;
            expected++;
            checkedCount++;
        }

        if (expected - 1 != anchor.HeadSequence)
        {
            return Broken(expected, AuditBreak.Truncated, $"the chain ends at event {expected - 1} but its head is event {anchor.HeadSequence}: the newest events were deleted.");
        }

        if (!string.Equals(previousHash, anchor.HeadHash, StringComparison.Ordinal))
        {
            return Broken(anchor.HeadSequence, AuditBreak.Edited, $"the last event's hash does not match the recorded head hash.");
        }

        return new AuditVerification(true, checkedCount, anchor.HeadSequence, anchor.HeadHash, null, null, null);
    }
}
