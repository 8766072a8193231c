using System.Reflection;
using ContentWatch.Storage.SqlServer;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>The SQL Server provider's T-SQL as the offline checks read it: schema batches and query strings, parsed.</summary>
public static class TSql
{
    /// <summary>Parses with the SQL Server 2022 grammar, quoted identifiers on (as SqlClient sets them).</summary>
    public static (TSqlFragment Fragment, IList<ParseError> Errors) Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        return (fragment, errors);
    }

    /// <summary>Parses T-SQL that must be valid; a test's own bad statements go through here too.</summary>
    public static TSqlFragment ParseValid(string sql)
    {
        var (fragment, errors) = Parse(sql);
        Assert.True(errors.Count == 0, $"{Describe(errors)}\n{sql}");
        return fragment;
    }

    public static string Describe(IList<ParseError> errors) =>
        string.Join("; ", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));

    /// <summary>Every <c>const string</c> in the ContentWatch.Storage.SqlServer namespace, nested classes included, as (Class.Name, text).</summary>
    public static IReadOnlyList<(string Name, string Sql)> QueryStrings() =>
        typeof(SqlServerIntakeStore).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(SqlServerIntakeStore).Namespace)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => ($"{f.DeclaringType!.Name}.{f.Name}", (string)f.GetRawConstantValue()!))
            .OrderBy(q => q.Item1, StringComparer.Ordinal)
            .ToList();

    public static string QueryText(string name) => QueryStrings().Single(q => q.Name == name).Sql;

    /// <summary>Every batch the migrator sends (each script split on its GO lines), named script#n.</summary>
    public static IReadOnlyList<(string Name, string Sql)> SchemaBatches() =>
        SqlServerStorageMigrator.Scripts()
            .SelectMany(s => SqlServerStorageMigrator.Batches(s.Sql).Select((b, i) => ($"{s.Name}#{i + 1}", b)))
            .ToList();

    /// <summary>The schema the migrator creates: every script, and its own version table.</summary>
    public static SqlSchema Schema() =>
        SqlServerSchemaFrom(SchemaBatches().Select(b => b.Sql).Append(QueryText("SqlServerStorageMigrator.CreateVersionTable")));

    public static SqlSchema SqlServerSchemaFrom(IEnumerable<string> batches) => SqlSchema.From(batches.Select(ParseValid));
}
