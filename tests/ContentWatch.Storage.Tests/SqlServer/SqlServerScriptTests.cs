using ContentWatch.Storage.SqlServer;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// Offline checks of the SQL Server provider, run without a server: every schema script and every query string
/// parses as T-SQL (SQL Server 2022 grammar), the schema holds every table and column of the SQLite schema, and the
/// queries name only tables and columns that the schema creates.
/// </summary>
public sealed class SqlServerScriptTests
{
    public static TheoryData<string> Queries()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in TSql.QueryStrings())
        {
            data.Add(name);
        }

        return data;
    }

    private static (TSqlFragment Fragment, IList<ParseError> Errors) Parse(string sql) => TSql.Parse(sql);

    private static string Describe(IList<ParseError> errors) => TSql.Describe(errors);

    private static string QueryText(string name) => TSql.QueryText(name);

    [Fact]
    public void QueryStrings_AreFoundByReflection_AllOfThem()
    {
        var names = TSql.QueryStrings().Select(q => q.Name).ToList();

        Assert.True(names.Count >= 30, $"only {names.Count} query strings found: {string.Join(", ", names)}");
        Assert.Contains("SqlServerClassificationStore.Claim", names);
        Assert.Contains("SqlServerIntakeStore.StoreReport", names);
        Assert.Contains("SqlServerExportStore.CreateBatch", names);
        Assert.Contains("SqlServerStorageMigrator.TakeLock", names);
        Assert.Contains("SqlServerModelStore.LockActiveId", names);
        Assert.Contains("SqlServerRescoreStore.ClaimBatch", names);
        Assert.Contains("SqlServerClassificationStore.ClaimItem", names);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void QueryString_ParsesAsTSql_WithoutErrors(string name)
    {
        var (_, errors) = Parse(QueryText(name));

        Assert.True(errors.Count == 0, $"{name}: {Describe(errors)}");
    }

    [Theory]
    [InlineData("SqlServerDeskStore.QueueCount")]
    [InlineData("SqlServerDeskStore.QueuePage")]
    public void DeskQueueQuery_TestsEveryFilterField_AsAParameter(string name)
    {
        var sql = QueryText(name);
        var fields = typeof(ContentWatch.Core.Review.QueueFilter).GetProperties().Select(p => p.Name).ToList();

        Assert.Equal(7, fields.Count);
        Assert.All(fields, field => Assert.Contains($"(@{field} IS NULL OR ", sql, StringComparison.Ordinal));
        Assert.Contains("OPTION (RECOMPILE)", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaScripts_AreEmbedded_InVersionOrder_OnePerSqliteScript()
    {
        const string sqlitePrefix = "ContentWatch.Storage.Schema.Sqlite.";
        var sqliteNames = typeof(SqlServerStorageMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(sqlitePrefix, StringComparison.Ordinal))
            .Select(n => n[sqlitePrefix.Length..^".sql".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        var scripts = SqlServerStorageMigrator.Scripts();

        Assert.NotEmpty(sqliteNames);
        Assert.Equal(sqliteNames, scripts.Select(s => s.Name));
        Assert.Equal(scripts.Select(s => s.Version).Order(), scripts.Select(s => s.Version));
        Assert.Equal(scripts.Count, scripts.Select(s => s.Version).Distinct().Count());
    }

    [Fact]
    public void SchemaScripts_EveryBatch_ParsesAsTSql_WithoutErrors()
    {
        var batches = 0;
        foreach (var script in SqlServerStorageMigrator.Scripts())
        {
            foreach (var batch in SqlServerStorageMigrator.Batches(script.Sql))
            {
                var (fragment, errors) = Parse(batch);
                Assert.True(errors.Count == 0, $"{script.Name}: {Describe(errors)}\n{batch}");
                Assert.Single(((TSqlScript)fragment).Batches);
                batches++;
            }
        }

        // Every script has at least one batch; 0001 has the tables, then one batch per trigger (CREATE TRIGGER must start its batch).
        Assert.True(batches >= SqlServerStorageMigrator.Scripts().Count + 4, $"only {batches} batches");
    }

    [Fact]
    public void Parser_ReportsErrors_ForBrokenTSql()
    {
        string[] broken =
        [
            "SELECT TOP (@n id FROM items;",
            "UPDATE items SET status = N'pending' WHERE;",
            "SELECT id FROM items LIMIT 10;",
            "INSERT INTO items (id) VALUES (@id) ON CONFLICT (id) DO NOTHING;",
        ];

        Assert.All(broken, sql => Assert.NotEmpty(Parse(sql).Errors));
    }

    [Fact]
    public void Batches_SplitOnlyOnLinesHoldingGo()
    {
        const string script = "CREATE TABLE t (a int);\ngo\r\nSELECT 'GO' AS going;\n  GO  \n-- GO in a comment\nSELECT 1;\nGO\n";

        var batches = SqlServerStorageMigrator.Batches(script);

        Assert.Equal(["CREATE TABLE t (a int);", "SELECT 'GO' AS going;", "-- GO in a comment\nSELECT 1;"], batches);
    }

    [Fact]
    public async Task Schema_HasEveryTableAndColumnOfTheSqliteSchema()
    {
        var sqlServer = SqlServerSchema();
        var sqlite = await SqliteSchemaAsync();

        Assert.NotEmpty(sqlite);
        foreach (var (table, columns) in sqlite)
        {
            Assert.True(sqlServer.ContainsKey(table), $"table {table} is missing from the SQL Server schema");
            var missing = columns.Except(sqlServer[table], StringComparer.OrdinalIgnoreCase).ToList();
            Assert.True(missing.Count == 0, $"{table}: columns missing from the SQL Server schema: {string.Join(", ", missing)}");
        }

        Assert.Equal(sqlite.Keys.Order(StringComparer.Ordinal), sqlServer.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_AppendOnlyTables_HaveTriggersThatThrowOnUpdateAndDelete()
    {
        var triggers = new List<CreateTriggerStatement>();
        foreach (var script in SqlServerStorageMigrator.Scripts())
        {
            var visitor = new TriggerVisitor();
            Parse(script.Sql).Fragment.Accept(visitor);
            triggers.AddRange(visitor.Triggers);
        }

        foreach (var table in new[] { "decisions", "referral_status_events", "watchlist_events", "evidence_snapshots", "model_events", "item_notes" })
        {
            foreach (var action in new[] { TriggerActionType.Update, TriggerActionType.Delete })
            {
                var trigger = Assert.Single(triggers, t =>
                    t.TriggerObject.Name.BaseIdentifier.Value == table && t.TriggerActions.Any(a => a.TriggerActionType == action));
                var throws = new ThrowVisitor();
                trigger.Accept(throws);
                Assert.True(throws.Found, $"the {action} trigger on {table} does not THROW");
            }
        }
    }

    [Fact]
    public void QueryStrings_NameOnlyTablesAndColumnsTheSchemaCreates()
    {
        var schema = SqlServerSchema();
        var columns = schema.Values.SelectMany(c => c).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        var (tablesSeen, columnsSeen) = (0, 0);
        foreach (var (name, sql) in TSql.QueryStrings())
        {
            var names = new NameVisitor();
            Parse(sql).Fragment.Accept(names);
            tablesSeen += names.Tables.Count;
            columnsSeen += names.Columns.Count;
            problems.AddRange(names.Tables.Where(t => !schema.ContainsKey(t) && !names.CommonTableExpressions.Contains(t)).Select(t => $"{name}: table {t}"));
            problems.AddRange(names.Columns.Where(c => !columns.Contains(c)).Select(c => $"{name}: column {c}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(tablesSeen >= 30 && columnsSeen >= 150, $"the check saw only {tablesSeen} table and {columnsSeen} column names");
    }

    [Fact]
    public void TimeColumns_AreFixedWidthIsoText_InABinaryCollation_SoTextOrderIsTimeOrder()
    {
        var columns = new List<ColumnDefinition>();
        foreach (var script in SqlServerStorageMigrator.Scripts())
        {
            var visitor = new ColumnVisitor();
            Parse(script.Sql).Fragment.Accept(visitor);
            columns.AddRange(visitor.Columns);
        }

        var times = columns.Where(c => c.ColumnIdentifier.Value.EndsWith("_at", StringComparison.Ordinal) || c.ColumnIdentifier.Value == "claim_until").ToList();
        Assert.True(times.Count >= 15, $"only {times.Count} time columns found");
        Assert.All(times, c =>
        {
            var type = Assert.IsType<SqlDataTypeReference>(c.DataType);
            Assert.Equal(SqlDataTypeOption.NVarChar, type.SqlDataTypeOption);
            Assert.Equal("24", Assert.Single(type.Parameters).Value);
            Assert.Equal("Latin1_General_100_BIN2", c.Collation?.Value);
        });
    }

    /// <summary>Tables and their columns as the SQL Server scripts and the migrator's version table create them.</summary>
    private static Dictionary<string, HashSet<string>> SqlServerSchema()
    {
        var visitor = new SchemaVisitor();
        foreach (var script in SqlServerStorageMigrator.Scripts())
        {
            Parse(script.Sql).Fragment.Accept(visitor);
        }

        Parse(QueryText("SqlServerStorageMigrator.CreateVersionTable")).Fragment.Accept(visitor);
        return visitor.Tables;
    }

    /// <summary>Tables and their columns in a SQLite database brought up to date by the SQLite migrator.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> SqliteSchemaAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cw-storage-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var options = StorageOptions.ForDataDirectory(directory);
            await using (var services = new ServiceCollection().AddContentWatchStorage(options).BuildServiceProvider())
            {
                await services.GetRequiredService<IStorageMigrator>().MigrateAsync(CancellationToken.None);
            }

            await using var connection = new SqliteConnection(options.EffectiveConnectionString);
            await connection.OpenAsync();
            var rows = await connection.QueryAsync<(string Table, string Column)>("""
                SELECT m.name, p.name
                FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';
                """);
            return rows.GroupBy(r => r.Table).ToDictionary(g => g.Key, g => g.Select(r => r.Column).ToHashSet(StringComparer.OrdinalIgnoreCase));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private sealed class SchemaVisitor : TSqlFragmentVisitor
    {
        public Dictionary<string, HashSet<string>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(CreateTableStatement node)
        {
            var columns = Tables.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var existing)
                ? existing
                : Tables[node.SchemaObjectName.BaseIdentifier.Value] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            columns.UnionWith(node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
        }

        public override void Visit(AlterTableAddTableElementStatement node) =>
            Tables[node.SchemaObjectName.BaseIdentifier.Value].UnionWith(node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
    }

    private sealed class TriggerVisitor : TSqlFragmentVisitor
    {
        public List<CreateTriggerStatement> Triggers { get; } = [];

        public override void Visit(CreateTriggerStatement node) => Triggers.Add(node);
    }

    private sealed class ColumnVisitor : TSqlFragmentVisitor
    {
        public List<ColumnDefinition> Columns { get; } = [];

        public override void Visit(ColumnDefinition node) => Columns.Add(node);
    }

    private sealed class ThrowVisitor : TSqlFragmentVisitor
    {
        public bool Found { get; private set; }

        public override void Visit(ThrowStatement node) => Found = true;
    }

    private sealed class NameVisitor : TSqlFragmentVisitor
    {
        public HashSet<string> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> CommonTableExpressions { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(NamedTableReference node) => Tables.Add(node.SchemaObject.BaseIdentifier.Value);

        public override void Visit(CommonTableExpression node) => CommonTableExpressions.Add(node.ExpressionName.Value);

        public override void Visit(ColumnReferenceExpression node)
        {
            if (node.ColumnType == ColumnType.Regular && node.MultiPartIdentifier is { Count: > 0 } identifier)
            {
                Columns.Add(identifier.Identifiers[^1].Value);
            }
        }
    }
}
