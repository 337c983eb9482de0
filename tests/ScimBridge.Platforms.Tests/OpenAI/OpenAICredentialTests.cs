using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>Admin keys, project API keys and service accounts through the adapter, against the simulator.</summary>
public sealed class OpenAICredentialTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task The_seeded_inventory_lists_every_kind_with_owner_and_status()
    {
        var credentials = await ListAllAsync(_harness.Adapter<ICredentialReader>());

        Assert.Equal(
            [
                $"AdminKey {OpenAIHarness.AdminKeyId} -",
                $"AdminKey {OpenAIHarness.ExpiredAdminKeyId} -",
                $"ApiKey {OpenAIHarness.DeveloperKey} {OpenAIHarness.ResearchProject}",
                $"ServiceAccountKey {OpenAIHarness.CiKey} {OpenAIHarness.ResearchProject}",
                $"ServiceAccount {OpenAIHarness.CiServiceAccount} {OpenAIHarness.ResearchProject}",
            ],
            credentials.Select(c => $"{c.Kind} {c.Id} {c.ContainerId ?? "-"}"));
        var byId = credentials.ToDictionary(c => c.Id);
        Assert.Equal(new CredentialOwner(PrincipalKind.User, OpenAIHarness.OwnerId, null, "Ada Owner"), byId[OpenAIHarness.AdminKeyId].Owner);
        Assert.Equal((CredentialStatus.Active, "sk-admin...sb1"), (byId[OpenAIHarness.AdminKeyId].Status, byId[OpenAIHarness.AdminKeyId].RedactedValue));
        Assert.Equal(CredentialStatus.Expired, byId[OpenAIHarness.ExpiredAdminKeyId].Status);
        Assert.Equal(new CredentialOwner(PrincipalKind.User, OpenAIHarness.DeveloperId, "dev@example.test", "Dev Eloper"), byId[OpenAIHarness.DeveloperKey].Owner);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735776000), byId[OpenAIHarness.DeveloperKey].LastUsedAt);
        Assert.Equal(new CredentialOwner(PrincipalKind.ServiceAccount, OpenAIHarness.CiServiceAccount, null, "ci"), byId[OpenAIHarness.CiKey].Owner);
        Assert.Equal("member", byId[OpenAIHarness.CiServiceAccount].Role);
    }

    [Fact]
    public async Task Listing_streams_every_credential_across_projects_one_bounded_page_at_a_time()
    {
        var manager = _harness.Adapter<IContainerManager>();
        var issuer = _harness.Adapter<ICredentialIssuer>();
        var busy = await manager.CreateContainerAsync("Busy", Timeout);
        var small = await manager.CreateContainerAsync("Small", Timeout);
        var empty = await manager.CreateContainerAsync("Empty", Timeout);
        var archived = await manager.CreateContainerAsync("Retired", Timeout);
        _harness.Sim.AddUserApiKeys(busy.Id, OpenAIHarness.DeveloperId, 23);
        for (var i = 0; i < 3; i++)
        {
            await issuer.IssueCredentialAsync(busy.Id, $"bot-{i}", Timeout);
        }

        _harness.Sim.AddUserApiKeys(small.Id, OpenAIHarness.OwnerId, 9);
        _harness.Sim.AddUserApiKeys(archived.Id, OpenAIHarness.OwnerId, 5);
        await manager.ArchiveContainerAsync(archived.Id, Timeout);
        var reader = _harness.Adapter<ICredentialReader>(pageSize: 7);
        _harness.Control.ClearRequests();

        var pages = new List<Page<PlatformCredential>>();
        string? token = null;
        do
        {
            var page = await reader.ListCredentialsAsync(token, Timeout);
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token is not null);

        var all = pages.SelectMany(p => p.Items).ToList();

        // 2 admin keys; research 2 keys + 1 account; busy 23 + 3 keys + 3 accounts; small 9; empty and archived none.
        Assert.Equal(43, all.Count);
        Assert.Equal(all.Count, all.Select(c => $"{c.ContainerId}/{c.Id}").Distinct().Count());
        Assert.Equal(26, all.Count(c => c.ContainerId == busy.Id && c.Kind is CredentialKind.ApiKey or CredentialKind.ServiceAccountKey));
        Assert.Equal(3, all.Count(c => c.ContainerId == busy.Id && c.Kind == CredentialKind.ServiceAccount));
        Assert.Equal(9, all.Count(c => c.ContainerId == small.Id));
        Assert.DoesNotContain(all, c => c.ContainerId == archived.Id || c.ContainerId == empty.Id);
        // Projects without credentials are skipped inside a call, so only the last page can be empty.
        Assert.All(pages.SkipLast(1), p => Assert.InRange(p.Items.Count, 1, 7));
        Assert.InRange(pages[^1].Items.Count, 0, 7);
        Assert.All(pages.Where(p => p.NextPageToken is not null), p => Assert.DoesNotContain("proj_", p.NextPageToken!, StringComparison.Ordinal));
        Assert.All(_harness.Control.Requests, r => Assert.Matches("limit=(7|1)(&|$)", r.PathAndQuery));

        // Each page is fetched from a token alone: a new adapter resumes where another stopped.
        var resumed = await _harness.Adapter<ICredentialReader>(pageSize: 7).ListCredentialsAsync(pages[3].NextPageToken, Timeout);
        Assert.Equal(pages[4].Items.Select(c => c.Id), resumed.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_token_from_elsewhere_is_rejected()
    {
        var reader = _harness.Adapter<ICredentialReader>();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => reader.ListCredentialsAsync("key_user_developer", Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
    }

    [Fact]
    public async Task Issuing_mints_a_service_account_whose_key_comes_back_once()
    {
        var issuer = _harness.Adapter<ICredentialIssuer>();

        var issued = await issuer.IssueCredentialAsync(OpenAIHarness.ResearchProject, "scimbridge-ci", Timeout);
        var listed = await ListAllAsync(_harness.Adapter<ICredentialReader>());

        Assert.Equal((CredentialKind.ServiceAccount, "scimbridge-ci", OpenAIHarness.ResearchProject), (issued.Credential.Kind, issued.Credential.Name, issued.Credential.ContainerId));
        Assert.StartsWith("sk-svcacct-", issued.Secret.Reveal(), StringComparison.Ordinal);
        Assert.True(_harness.Sim.ServiceAccountExists(OpenAIHarness.ResearchProject, issued.Credential.Id));
        Assert.Contains(listed, c => c.Kind == CredentialKind.ServiceAccountKey && c.Owner?.Id == issued.Credential.Id);
        Assert.DoesNotContain(issued.Secret.Reveal(), _harness.State().GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret.Reveal(), string.Join('\n', _harness.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issuing_in_an_archived_project_fails_clearly()
    {
        var issuer = _harness.Adapter<ICredentialIssuer>();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => issuer.IssueCredentialAsync(OpenAIHarness.ArchivedProject, "late", Timeout));

        Assert.Equal((PlatformErrorKind.Validation, 400), (error.Kind, error.StatusCode));
    }

    [Fact]
    public async Task A_user_key_is_deleted_once_and_then_already_gone()
    {
        var deleter = _harness.Adapter<ICredentialDeleter>();
        var key = new CredentialRef(OpenAIHarness.DeveloperKey, CredentialKind.ApiKey, OpenAIHarness.ResearchProject);

        Assert.Equal(ChangeOutcome.Applied, (await deleter.DeleteCredentialAsync(key, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await deleter.DeleteCredentialAsync(key, Timeout)).Outcome);
        Assert.False(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperKey));
    }

    [Fact]
    public async Task A_service_account_key_is_refused_naming_the_account_to_delete_instead()
    {
        var deleter = _harness.Adapter<ICredentialDeleter>();
        _harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            deleter.DeleteCredentialAsync(new CredentialRef(OpenAIHarness.CiKey, CredentialKind.ServiceAccountKey, OpenAIHarness.ResearchProject), Timeout));

        Assert.Equal(PlatformErrorKind.NotAllowed, error.Kind);
        Assert.Contains($"delete service account {OpenAIHarness.CiServiceAccount}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_harness.Control.Requests, r => r.Method == "DELETE");
        Assert.True(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiKey));
        Assert.True(_harness.Sim.ServiceAccountExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiServiceAccount));

        // Following the advice removes the account and its key; a key already gone is simply absent.
        var account = new CredentialRef(OpenAIHarness.CiServiceAccount, CredentialKind.ServiceAccount, OpenAIHarness.ResearchProject);
        Assert.Equal(ChangeOutcome.Applied, (await deleter.DeleteCredentialAsync(account, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await deleter.DeleteCredentialAsync(account, Timeout)).Outcome);
        Assert.False(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiKey));
        Assert.Equal(
            ChangeOutcome.AlreadyInState,
            (await deleter.DeleteCredentialAsync(new CredentialRef(OpenAIHarness.CiKey, CredentialKind.ServiceAccountKey, OpenAIHarness.ResearchProject), Timeout)).Outcome);
    }

    [Fact]
    public async Task A_service_account_key_passed_as_a_user_key_gets_the_platforms_own_refusal()
    {
        var deleter = _harness.Adapter<ICredentialDeleter>();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            deleter.DeleteCredentialAsync(new CredentialRef(OpenAIHarness.CiKey, CredentialKind.ApiKey, OpenAIHarness.ResearchProject), Timeout));

        Assert.Equal((PlatformErrorKind.Validation, 400), (error.Kind, error.StatusCode));
        Assert.True(_harness.Sim.ApiKeyExists(OpenAIHarness.ResearchProject, OpenAIHarness.CiKey));
    }

    [Fact]
    public async Task Admin_keys_and_project_less_references_are_refused()
    {
        var deleter = _harness.Adapter<ICredentialDeleter>();

        var admin = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            deleter.DeleteCredentialAsync(new CredentialRef(OpenAIHarness.AdminKeyId, CredentialKind.AdminKey, null), Timeout));
        var noProject = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            deleter.DeleteCredentialAsync(new CredentialRef(OpenAIHarness.DeveloperKey, CredentialKind.ApiKey, null), Timeout));

        Assert.Equal(PlatformErrorKind.NotAllowed, admin.Kind);
        Assert.Equal(PlatformErrorKind.Validation, noProject.Kind);
    }

    [Fact]
    public async Task A_key_whose_owner_left_the_project_is_listed_inactive()
    {
        await _harness.Adapter<IMembershipRevoker>().RevokeMembershipAsync(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId, Timeout);

        var key = (await ListAllAsync(_harness.Adapter<ICredentialReader>())).Single(c => c.Id == OpenAIHarness.DeveloperKey);

        Assert.Equal(CredentialStatus.Inactive, key.Status);
    }

    private static async Task<List<PlatformCredential>> ListAllAsync(ICredentialReader reader)
    {
        var all = new List<PlatformCredential>();
        await foreach (var credential in Pages.ReadAllAsync(reader.ListCredentialsAsync, Timeout))
        {
            all.Add(credential);
        }

        return all;
    }
}
