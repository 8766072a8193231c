using ContentWatch.Storage.SqlServer;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// The rules of <see cref="SqlServerRules"/> over every batch of the schema scripts and every SQL Server query string,
/// and each rule fed a statement that breaks it (most of them the statements the 2026-12 review found), which it must
/// refuse. No server runs here, so these stand in for the errors a server would raise and a parser does not.
/// </summary>
public sealed class SqlServerRuleTests
{
    private static readonly SqlSchema Schema = TSql.Schema();

    /// <summary>Every schema batch and every query string, parsed.</summary>
    private static IEnumerable<(string Name, TSqlFragment Fragment)> All() =>
        TSql.SchemaBatches().Concat(TSql.QueryStrings()).Select(s => (s.Name, TSql.ParseValid(s.Sql)));

    private static void AssertNone(IEnumerable<string> problems) =>
        Assert.True(!problems.Any(), string.Join("\n", problems));

    [Fact]
    public void OutputTargets_AreAllowed_InEveryStatement()
    {
        AssertNone(All().SelectMany(s => SqlServerRules.OutputTargets(s.Fragment, Schema).Select(p => $"{s.Name}: {p}")));

        var outputs = TSql.QueryStrings().Count(q => q.Sql.Contains("OUTPUT", StringComparison.Ordinal));
        Assert.True(outputs >= 4, $"only {outputs} statements with OUTPUT: the rule would pass vacuously");
    }

    [Fact]
    public void OutputTargets_RefuseOutputIntoATableOnASideOfAForeignKey_TheVerdictWriteOfTheReview()
    {
        const string saveVerdictBeforeTheFix = """
            UPDATE items
            SET label = @Label, claim_token = NULL, claim_until = NULL
            OUTPUT inserted.id, deleted.claim_token, inserted.model_version, @WrittenAt
                INTO verdict_writes (item_id, claim_token, model_version, written_at)
            WHERE id = @Id AND (status = N'pending' OR classified_at IS NULL);
            """;

        var problems = SqlServerRules.OutputTargets(TSql.ParseValid(saveVerdictBeforeTheFix), Schema).ToList();

        Assert.Contains(problems, p => p.Contains("foreign key", StringComparison.Ordinal) && p.Contains("Msg 332", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("INSERT INTO decisions (id) OUTPUT inserted.id VALUES (@id);", "Msg 334")]
    [InlineData("UPDATE items SET status = @s OUTPUT inserted.id INTO decisions (id) WHERE id = @id;", "triggers")]
    [InlineData("UPDATE referrals SET status = @s OUTPUT inserted.id INTO items (id) WHERE id = @id;", "CHECK")]
    public void OutputTargets_RefuseTriggeredAndCheckedTargets(string sql, string expected) =>
        Assert.Contains(SqlServerRules.OutputTargets(TSql.ParseValid(sql), Schema), p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void CreateTriggerSchemaAndView_StartTheirOwnBatch_InEveryScript()
    {
        var scripts = SqlServerStorageMigrator.Scripts().Select(s => (s.Name, s.Sql)).Concat(TSql.QueryStrings());
        AssertNone(scripts.SelectMany(s => SqlServerRules.OwnBatch(s.Sql).Select(p => $"{s.Name}: {p}")));

        var triggers = TSql.SchemaBatches().Count(b => TSql.ParseValid(b.Sql) is TSqlScript { Batches: [{ Statements: [CreateTriggerStatement] }] });
        Assert.True(triggers >= 4, $"only {triggers} batches that are one CREATE TRIGGER");
    }

    [Theory]
    [InlineData("CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t;", "VIEW")]
    [InlineData("CREATE TABLE t (a int);\nGO -- the migrator splits only on lines holding GO alone\nCREATE TRIGGER tr ON t AFTER UPDATE AS BEGIN SET NOCOUNT ON; END;", "TRIGGER")]
    [InlineData("SELECT 1;\nCREATE SCHEMA HangFire;", "SCHEMA")]
    [InlineData("SET NOCOUNT ON;\nCREATE OR ALTER VIEW v AS SELECT 1 AS a;", "VIEW")]
    public void OwnBatch_RefusesACreateThatIsNotFirstInItsBatch(string script, string what) =>
        Assert.Contains($"CREATE {what} is not the first statement", Assert.Single(SqlServerRules.OwnBatch(script)), StringComparison.Ordinal);

    [Fact]
    public void IndexKeys_FitTheirLimits_AndHoldNoMaxColumn()
    {
        AssertNone(SqlServerRules.IndexKeys(Schema));
        AssertNone(TSql.QueryStrings().SelectMany(q => SqlServerRules.IndexKeys(SqlSchema.From([TSql.ParseValid(q.Sql)])).Select(p => $"{q.Name}: {p}")));

        var indexes = Schema.Tables.Values.Sum(t => t.Indexes.Count);
        Assert.True(indexes >= 25, $"only {indexes} keys and indexes were sized");
    }

    [Theory]
    [InlineData("CREATE TABLE t (a nvarchar(max) NOT NULL, b int NOT NULL, CONSTRAINT uq_t UNIQUE (b, a));", "(max)")]
    [InlineData("CREATE TABLE t (a nvarchar(2048) NOT NULL, CONSTRAINT pk_t PRIMARY KEY NONCLUSTERED (a));", "4096 bytes")]
    [InlineData("CREATE TABLE t (a nvarchar(451) NOT NULL CONSTRAINT pk_t PRIMARY KEY);", "902 bytes, over the 900 bytes of a clustered")]
    [InlineData("CREATE TABLE t (a int NOT NULL CONSTRAINT pk_t PRIMARY KEY, b nvarchar(800) NOT NULL, c nvarchar(60) NULL);\nCREATE INDEX ix_t_b ON t (b, c);", "1720 bytes, over the 1700")]
    [InlineData("CREATE TABLE t (a nvarchar(max) NOT NULL, h AS CAST(HASHBYTES('SHA2_256', a) AS binary(32)) PERSISTED, u nvarchar(900) NOT NULL, CONSTRAINT uq_t UNIQUE (h, u));", "1832 bytes")]
    public void IndexKeys_RefuseLongAndMaxKeys(string sql, string expected) =>
        Assert.Contains(SqlServerRules.IndexKeys(SqlSchema.From([TSql.ParseValid(sql)])), p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void TopAndOffset_HaveAUniqueTieBreak_InEveryQuery()
    {
        AssertNone(All().SelectMany(s => SqlServerRules.UniqueTieBreak(s.Fragment, Schema).Select(p => $"{s.Name}: {p}")));

        var limited = TSql.QueryStrings().Count(q => q.Sql.Contains("TOP (", StringComparison.Ordinal) || q.Sql.Contains("OFFSET", StringComparison.Ordinal));
        Assert.True(limited >= 9, $"only {limited} queries with TOP or OFFSET");
    }

    [Theory]
    [InlineData("SELECT TOP (@limit) id FROM items WHERE status = N'in_review' ORDER BY priority DESC, first_reported_at;")]
    [InlineData("SELECT id FROM items ORDER BY priority DESC OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY;")]
    [InlineData("SELECT TOP (1) id FROM items;")]
    [InlineData("SELECT TOP (@limit) r.id FROM referrals r JOIN items i ON i.id = r.item_id ORDER BY r.created_at DESC, i.seq DESC;")]
    public void UniqueTieBreak_RefusesAnOrderThatCanTie(string sql) =>
        Assert.Single(SqlServerRules.UniqueTieBreak(TSql.ParseValid(sql), Schema));

    [Fact]
    public void LockingReads_LockEveryTableTheyJoin_InEveryQuery()
    {
        AssertNone(All().SelectMany(s => SqlServerRules.LockingReadsLockEveryTable(s.Fragment).Select(p => $"{s.Name}: {p}")));
        Assert.Contains("referrals r WITH (UPDLOCK, HOLDLOCK)", TSql.QueryText("SqlServerReviewStore.ReadItemForDecision"), StringComparison.Ordinal);
    }

    [Fact]
    public void LockingReads_RefuseTheDecisionReadOfTheReview_WhichLeftTheReferralUnlocked()
    {
        const string readItemForDecisionBeforeTheFix = """
            SELECT i.status AS Status, r.id AS ReferralId
            FROM items i WITH (UPDLOCK, HOLDLOCK)
            LEFT JOIN referrals r ON r.item_id = i.id
            WHERE i.id = @ItemId;
            """;

        Assert.Contains("referrals is read without UPDLOCK", Assert.Single(SqlServerRules.LockingReadsLockEveryTable(TSql.ParseValid(readItemForDecisionBeforeTheFix))), StringComparison.Ordinal);
    }

    [Fact]
    public void Leases_AreReadAndWrittenOnTheServerClock_InEveryQuery()
    {
        AssertNone(All().SelectMany(s => SqlServerRules.LeasesOnTheServerClock(s.Fragment).Select(p => $"{s.Name}: {p}")));
        Assert.Contains("SYSUTCDATETIME()", TSql.QueryText("SqlServerClassificationStore.Claim"), StringComparison.Ordinal);
    }

    [Fact]
    public void Leases_RefuseTheClaimOfTheReview_WhichTookTheNodesClock()
    {
        const string claimBeforeTheFix = """
            WITH claim AS (
                SELECT TOP (@max) id, claim_token, claim_until
                FROM items WITH (ROWLOCK, READPAST, UPDLOCK)
                WHERE status = N'pending' AND (claim_until IS NULL OR claim_until <= @now)
                ORDER BY first_reported_at, seq)
            UPDATE claim
            SET claim_token = @token, claim_until = @until
            OUTPUT inserted.id AS Id;
            """;

        var problems = SqlServerRules.LeasesOnTheServerClock(TSql.ParseValid(claimBeforeTheFix)).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("@now", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("@until", StringComparison.Ordinal));
    }

    [Fact]
    public void WritesOutsideATransaction_AreIdempotent_InEveryStore()
    {
        var problems = new List<string>();
        var traced = new List<string>();
        foreach (var (file, text) in StoreSource.Files())
        {
            var (statements, untraced) = StoreSource.RunWithoutATransaction(text);
            problems.AddRange(untraced.Select(u => $"{file}: cannot tell which statement {u} is"));
            traced.AddRange(statements);
            problems.AddRange(statements.SelectMany(s => SqlServerRules.IdempotentWrites(TSql.ParseValid(TSql.QueryText(s))).Select(p => $"{s}: {p}")));
        }

        AssertNone(problems);
        Assert.Contains("SqlServerApiKeyStore.Insert", traced);
        Assert.Contains("SqlServerUserStore.Insert", traced);
        Assert.Contains("SqlServerUserStore.RevokeSessions", traced);
        Assert.DoesNotContain("SqlServerUserStore.TakeSignInAttempt", traced); // counts: in a transaction
        Assert.DoesNotContain("SqlServerUserStore.RecordSignIn", traced); // gives one attempt back: in a transaction
        Assert.True(traced.Count >= 20, $"only {traced.Count} statements run outside a transaction were found");
    }

    [Theory]
    [InlineData("INSERT INTO users (id, username) VALUES (@id, @username);")]
    [InlineData("INSERT INTO users (id, username) SELECT @id, @username WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE id = @id);")]
    [InlineData("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @userId;")]
    [InlineData("MERGE users AS u USING (SELECT @id AS id) AS s ON u.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id);")]
    public void IdempotentWrites_RefuseWritesThatARerunWouldRepeat(string sql) =>
        Assert.Single(SqlServerRules.IdempotentWrites(TSql.ParseValid(sql)));

    [Fact]
    public void IdempotentWrites_FindTheUserInsertOfTheReview_RunWithoutATransaction()
    {
        const string storeBeforeTheFix = """
            public sealed class Store(SqlServerConnectionFactory db)
            {
                private const string Insert = "INSERT INTO users (id, username) VALUES (@id, @username);";
                private const string Count = "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @id;";

                public Task CreateAsync(string id, string username, CancellationToken cancellationToken) =>
                    db.RunAsync((connection, ct) => connection.ExecuteAsync(new CommandDefinition(Insert, new { id, username }, cancellationToken: ct)), cancellationToken);

                public Task CountAsync(string id, CancellationToken cancellationToken) =>
                    db.InTransactionAsync((connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(Count, new { id }, transaction, cancellationToken: ct)), cancellationToken);

                public Task PickAsync(bool which, CancellationToken cancellationToken)
                {
                    var sql = which ? Insert : Count;
                    return db.RunAsync((connection, ct) => connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct)), cancellationToken);
                }

                public Task HiddenAsync(string sql, CancellationToken cancellationToken) =>
                    db.RunAsync((connection, ct) => connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct)), cancellationToken);
            }
            """;

        var (statements, untraced) = StoreSource.RunWithoutATransaction(storeBeforeTheFix);

        Assert.Equal(["Store.Insert", "Store.Count"], statements);
        Assert.Equal(["Store: sql"], untraced);
        Assert.NotEmpty(SqlServerRules.IdempotentWrites(TSql.ParseValid("INSERT INTO users (id, username) VALUES (@id, @username);")));
    }
}
