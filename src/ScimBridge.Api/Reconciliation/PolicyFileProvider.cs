using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Policy;

namespace ScimBridge.Api.Reconciliation;

/// <summary>
/// The mapping policy from <see cref="ReconciliationOptions.PolicyPath"/>, checked against the configured platform
/// targets and reloaded when the file changes. A file with errors never replaces a good policy: the errors are logged
/// with their lines and reported by <see cref="Current"/>, and the last good policy stays in force.
/// </summary>
public sealed partial class PolicyFileProvider : IPolicyProvider, IDisposable
{
    private readonly IPlatformRegistry _platforms;
    private readonly ILogger<PolicyFileProvider> _logger;
    private readonly TimeProvider _time;
    private readonly string? _path;
    private readonly PhysicalFileProvider? _files;
    private readonly IDisposable? _watch;
    private PolicySnapshot _current = new(null, [], null, null);

    public PolicyFileProvider(IOptions<ReconciliationOptions> options, IPlatformRegistry platforms, ILogger<PolicyFileProvider> logger, TimeProvider time)
    {
        _platforms = platforms;
        _logger = logger;
        _time = time;
        if (options.Value.PolicyPath is not { Length: > 0 } path)
        {
            _current = new PolicySnapshot(null, [new PolicyError(0, 0, "no policy file is configured (Reconciliation:PolicyPath)")], null, null);
            return;
        }

        _path = Path.GetFullPath(path);
        Load();
        if (Directory.Exists(Path.GetDirectoryName(_path)))
        {
            // Polling, not inotify: works on the network and container-mounted volumes (ConfigMaps swap a symlink) where
            // change events are unreliable.
            _files = new PhysicalFileProvider(Path.GetDirectoryName(_path)!) { UsePollingFileWatcher = true, UseActivePolling = true };
            _watch = ChangeToken.OnChange(() => _files.Watch(Path.GetFileName(_path)), Load);
        }
    }

    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Reads and checks the file now (the watcher calls it on change; tests and the CLI may too).</summary>
    public void Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(_path!);
        }
        catch (IOException e)
        {
            Reject([new PolicyError(0, 0, $"cannot read {_path}: {e.Message}")]);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            Reject([new PolicyError(0, 0, $"cannot read {_path}: {e.Message}")]);
            return;
        }

        var result = Check(text, _platforms);
        if (!result.Succeeded)
        {
            Reject(result.Errors);
            return;
        }

        Volatile.Write(ref _current, new PolicySnapshot(result.Policy, [], _path, _time.GetUtcNow()));
        LogLoaded(_logger, _path!, result.Policy!.Targets.Count, result.Policy.Rules.Count);
    }

    /// <summary>Parses a policy and checks it against the configured targets: every target exists, every role is the platform's.</summary>
    public static PolicyParseResult Check(string yaml, IPlatformRegistry platforms)
    {
        var parsed = PolicyParser.Parse(yaml);
        if (parsed.Policy is not { } policy)
        {
            return parsed;
        }

        var errors = new List<PolicyError>();
        foreach (var target in policy.Targets.Values)
        {
            if (platforms.Find(target.Name) is null)
            {
                errors.Add(new PolicyError(target.Line, 1, $"target '{target.Name}' is not configured under Platforms:Targets"
                    + (platforms.Adapters.Count > 0 ? $" (configured: {string.Join(", ", platforms.Adapters.Select(a => a.Target.Name))})." : ".")));
            }
        }

        foreach (var rule in policy.Rules)
        {
            foreach (var grant in rule.Grants)
            {
                if (platforms.Find(grant.Target) is not { } adapter)
                {
                    continue;
                }

                var order = RoleOrders.For(adapter.Target.Platform, policy.Targets[grant.Target].RoleOrder);
                if (grant.OrganizationRole is { } role && order.Organization.Count > 0 && !order.Organization.Contains(role, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(new PolicyError(rule.Line, 1, $"rule '{rule.Name}': '{role}' is not an organisation role of {adapter.Target.Platform} ({string.Join(", ", order.Organization)})."));
                }

                foreach (var (container, containerRole) in grant.Containers)
                {
                    if (order.Container.Count > 0 && !order.Container.Contains(containerRole, StringComparer.OrdinalIgnoreCase))
                    {
                        errors.Add(new PolicyError(rule.Line, 1, $"rule '{rule.Name}': '{containerRole}' (container {container}) is not a container role of {adapter.Target.Platform} ({string.Join(", ", order.Container)})."));
                    }
                }
            }
        }

        return errors.Count == 0 ? parsed : new PolicyParseResult(null, errors);
    }

    private void Reject(IReadOnlyList<PolicyError> errors)
    {
        var previous = Current;
        Volatile.Write(ref _current, previous with { Errors = errors });
        foreach (var error in errors)
        {
            LogRejected(_logger, _path ?? "(none)", error.Line, error.Column, error.Message);
        }
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Mapping policy {Path} loaded: {Targets} targets, {Rules} rules")]
    private static partial void LogLoaded(ILogger logger, string path, int targets, int rules);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Mapping policy {Path} rejected at line {Line}, column {Column}: {Problem}. The previous policy stays in force.")]
    private static partial void LogRejected(ILogger logger, string path, int line, int column, string problem);
}
