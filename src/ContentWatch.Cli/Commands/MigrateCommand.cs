namespace ContentWatch.Cli.Commands;

public static class MigrateCommand
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(arguments, cancellationToken);
        arguments.RejectUnknown();
        Console.WriteLine("schema is up to date");
        return 0;
    }
}
