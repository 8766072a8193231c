using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Access;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch users add --username U --role officer|supervisor|admin</c>: the password is read from standard input
/// (first line) when it is redirected, else asked for twice without echo; never taken from the command line.
/// </summary>
public static class UsersCommand
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positionals is not ["add"])
        {
            throw new UsageException("use: users add --username U --role officer|supervisor|admin (the password is read from stdin or asked for)");
        }

        var username = arguments.Required("username").Trim().ToLowerInvariant();
        var role = arguments.Required("role");
        var nameErrors = UserService.Validate(username, role, new string('x', UserService.MinPasswordLength));
        if (nameErrors.Count > 0)
        {
            throw new UsageException(string.Join("; ", nameErrors.Select(e => $"--{e.Field} {e.Message}")));
        }

        await using var services = await CommandLine.OpenServicesAsync(arguments, cancellationToken);
        arguments.RejectUnknown();
        var password = ReadPassword();
        var errors = UserService.Validate(username, role, password);
        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("contentwatch: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
            return 1;
        }

        if (await services.GetRequiredService<IUserStore>().FindAsync(username, cancellationToken) is not null)
        {
            await Console.Error.WriteLineAsync($"contentwatch: the user name {username} is taken");
            return 1;
        }

        var user = await services.GetRequiredService<UserService>().CreateAsync(username, role, password!, cancellationToken);
        await Console.Error.WriteLineAsync($"created {user.Role} account {user.Username}; sign in at /desk");
        return 0;
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var first = Prompt("Password: ");
        var second = Prompt("Repeat the password: ");
        if (first != second)
        {
            throw new InvalidOperationException("the passwords differ");
        }

        return first;
    }

    /// <summary>Reads a line from the terminal without echoing it.</summary>
    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
