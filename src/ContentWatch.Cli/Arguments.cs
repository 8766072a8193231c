namespace ContentWatch.Cli;

/// <summary>Command-line arguments: positionals, <c>--name value</c> options and <c>--flag</c> switches.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/>; names in <paramref name="flags"/> take no value.</summary>
    public static Arguments Parse(IEnumerable<string> args, params string[] flags)
    {
        var result = new Arguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                result.Positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result._options[name[..eq]] = name[(eq + 1)..];
            }
            else if (flags.Contains(name))
            {
                result._flags.Add(name);
            }
            else if (e.MoveNext())
            {
                result._options[name] = e.Current;
            }
            else
            {
                throw new UsageException($"--{name} needs a value");
            }
        }

        return result;
    }

    public string? Option(string name)
    {
        _read.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public string Required(string name) => Option(name) ?? throw new UsageException($"--{name} is required");

    public bool Flag(string name)
    {
        _read.Add(name);
        return _flags.Contains(name);
    }

    public int Int(string name, int fallback) =>
        Option(name) is not { } text ? fallback
        : int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new UsageException($"--{name} must be a whole number");

    /// <summary>Throws when an option was given that the command never asked about.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Concat(_flags).Where(n => !_read.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option: --" + string.Join(", --", unknown));
        }
    }
}

public sealed class UsageException(string message) : Exception(message);
