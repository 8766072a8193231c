namespace ContentWatch.Desk.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Model => Path.Combine(Root, "models", "contentwatch.model.zip");

    /// <summary>Screenshots of the pages, kept as test output.</summary>
    public static string Screenshots => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContentWatch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ContentWatch.sln not found above " + AppContext.BaseDirectory);
    }
}
