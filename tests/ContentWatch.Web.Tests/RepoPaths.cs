namespace ContentWatch.Web.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Model => Path.Combine(Root, "models", "contentwatch.model.zip");

    /// <summary>The built command line beside the tests (the project is referenced, so it is copied here).</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "contentwatch.dll");

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
