using System.Runtime.CompilerServices;

namespace ScimBridge.Core.Platforms;

/// <summary>One page of a platform listing; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>Streams a paged listing item by item, holding one page in memory at a time.</summary>
public static class Pages
{
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        Func<string?, CancellationToken, Task<Page<T>>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await fetch(token, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.NextPageToken is not null && page.NextPageToken == token)
            {
                // A platform that hands back the token it was given would loop forever; fail loudly instead.
                throw new PlatformPermanentException(PlatformErrorKind.Protocol, "The platform returned the same page token twice.");
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }
}
