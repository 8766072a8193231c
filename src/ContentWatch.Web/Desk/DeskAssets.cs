namespace ContentWatch.Web.Desk;

/// <summary>The desk's stylesheet and script, embedded in the assembly and served from <c>/desk/assets/</c> (no CDN).</summary>
public static class DeskAssets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["desk.css"] = (Read("desk.css"), "text/css; charset=utf-8"),
        ["desk.js"] = (Read("desk.js"), "text/javascript; charset=utf-8"),
    };

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/desk/assets/{name}", (string name) =>
            Files.TryGetValue(name, out var file) ? Results.Bytes(file.Content, file.ContentType) : Results.NotFound());

    private static byte[] Read(string name)
    {
        using var stream = typeof(DeskAssets).Assembly.GetManifestResourceStream("ContentWatch.Web.Desk.Assets." + name)
            ?? throw new InvalidOperationException($"Desk asset {name} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
