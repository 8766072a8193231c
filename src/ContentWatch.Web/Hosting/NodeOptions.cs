namespace ContentWatch.Web.Hosting;

/// <summary>
/// What this process does, from <c>Node:Roles</c> (or <c>contentwatch serve --roles</c>): <c>web</c> serves the API, the
/// desk and the dashboard and runs no Hangfire server; <c>worker</c> runs the Hangfire server (classification, exports,
/// scans) and answers only <c>/health</c>; <c>web,worker</c> (the default) does both.
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Node";
    public const string WebRole = "web";
    public const string WorkerRole = "worker";

    /// <summary>Comma-separated roles.</summary>
    public string Roles { get; set; } = WebRole + "," + WorkerRole;

    public bool Web => Parsed().Contains(WebRole);

    public bool Worker => Parsed().Contains(WorkerRole);

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the bad value; call at start-up.</summary>
    public void Validate() => Parsed();

    private HashSet<string> Parsed()
    {
        var roles = (Roles ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        if (roles.Count == 0 || roles.Any(r => r is not (WebRole or WorkerRole)))
        {
            throw new InvalidOperationException(
                $"{Section}:Roles is '{Roles}'; give '{WebRole}', '{WorkerRole}' or '{WebRole},{WorkerRole}'.");
        }

        return roles;
    }
}
