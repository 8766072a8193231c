using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Access;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch users add|lock|unlock|reset-password --username U</c>: review desk accounts. A password is read from
/// standard input (first line) when it is redirected, else asked for twice without echo; never taken from the command line.
/// </summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var (username, role, dataDir) = (UsernameOption(), new Option<string>("--role") { Required = true, Description = "officer, supervisor or admin.", HelpName = "R" },
            CommandLine.DataDirOption());
        var add = new Command("add", "Create a desk account; the password (at least 12 characters) is read from standard input or asked for.") { username, role, dataDir };
        add.SetAction((result, cancellationToken) => AddAsync(result.GetRequiredValue(username), result.GetRequiredValue(role), result.GetValue(dataDir), cancellationToken));
        return new Command("users", "Manage review desk accounts.")
        {
            add,
            Change("lock", "Lock an account until it is unlocked, and end its sessions.", (users, name, ct) => users.SetDisabledAsync(name, true, ct), "locked"),
            Change("unlock", "Unlock an account, and clear its failed sign-ins.", (users, name, ct) => users.SetDisabledAsync(name, false, ct), "unlocked"),
            ResetPassword(),
        };
    }

    private static Option<string> UsernameOption() => new("--username") { Required = true, Description = "The account's user name.", HelpName = "U" };

    private static Command Change(string name, string description, Func<IUserStore, string, CancellationToken, Task<bool>> change, string done)
    {
        var (username, dataDir) = (UsernameOption(), CommandLine.DataDirOption());
        var command = new Command(name, description) { username, dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var user = result.GetRequiredValue(username).Trim().ToLowerInvariant();
            await using var services = await CommandLine.OpenServicesAsync(result.GetValue(dataDir), cancellationToken);
            if (!await change(services.GetRequiredService<IUserStore>(), user, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"contentwatch: no account {user}");
                return 1;
            }

            await Console.Error.WriteLineAsync($"{done} account {user}");
            return 0;
        });
        return command;
    }

    private static Command ResetPassword()
    {
        var (username, dataDir) = (UsernameOption(), CommandLine.DataDirOption());
        var command = new Command("reset-password", "Set a new password (read from standard input or asked for) and end the account's sessions.") { username, dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var user = result.GetRequiredValue(username).Trim().ToLowerInvariant();
            await using var services = await CommandLine.OpenServicesAsync(result.GetValue(dataDir), cancellationToken);
            var store = services.GetRequiredService<IUserStore>();
            if (await store.FindAsync(user, cancellationToken) is not { } account)
            {
                await Console.Error.WriteLineAsync($"contentwatch: no account {user}");
                return 1;
            }

            var password = ReadPassword();
            if (UserService.Validate(account.Username, account.Role, password).FirstOrDefault() is { } error)
            {
                await Console.Error.WriteLineAsync($"contentwatch: {error.Field} {error.Message}");
                return 1;
            }

            await store.SetPasswordAsync(user, PasswordHashing.Hash(password!), cancellationToken);
            await Console.Error.WriteLineAsync($"new password set for {user}; its sessions are ended");
            return 0;
        });
        return command;
    }

    private static async Task<int> AddAsync(string name, string role, string? dataDir, CancellationToken cancellationToken)
    {
        var username = name.Trim().ToLowerInvariant();
        var nameErrors = UserService.Validate(username, role, new string('x', UserService.MinPasswordLength));
        if (nameErrors.Count > 0)
        {
            throw new UsageException(string.Join("; ", nameErrors.Select(e => $"--{e.Field} {e.Message}")));
        }

        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
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
