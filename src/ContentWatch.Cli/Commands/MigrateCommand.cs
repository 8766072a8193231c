using System.CommandLine;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch migrate [--data-dir DIR]</c>: applies the schema scripts not yet applied, then exits.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var dataDir = CommandLine.DataDirOption();
        var command = new Command("migrate", "Apply the database schema scripts not yet applied.") { dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var services = await CommandLine.OpenServicesAsync(result.GetValue(dataDir), cancellationToken);
            Console.WriteLine("schema is up to date");
            return 0;
        });
        return command;
    }
}
