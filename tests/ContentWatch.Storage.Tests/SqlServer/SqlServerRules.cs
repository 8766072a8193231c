using ContentWatch.Storage.SqlServer;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// Rules for what SQL Server refuses, or gets wrong, that a parser lets through. Each returns its findings (empty when the
/// T-SQL keeps the rule), so a test can run it over the real scripts and query strings and over a bad statement alike.
/// </summary>
public static class SqlServerRules
{
    /// <summary>
    /// An OUTPUT ... INTO table has no enabled trigger, no CHECK constraint and no foreign key on either side (Msg 331,
    /// 332, 333); the target of an OUTPUT without INTO has no enabled trigger (Msg 334). A table variable is always allowed.
    /// </summary>
    public static IEnumerable<string> OutputTargets(TSqlFragment fragment, SqlSchema schema)
    {
        var statements = new Collector<DataModificationStatement>();
        fragment.Accept(statements);
        foreach (var statement in statements.Found)
        {
            var specification = Specification(statement);
            if (specification.OutputIntoClause?.IntoTable is NamedTableReference into && schema.Find(into.SchemaObject.BaseIdentifier.Value) is { } table)
            {
                if (table.Triggers.Count > 0)
                {
                    yield return $"OUTPUT INTO {table.Name}: the table has triggers ({string.Join(", ", table.Triggers)}); output into a table variable";
                }

                if (table.References.Count > 0 || table.ReferencedBy.Count > 0)
                {
                    yield return $"OUTPUT INTO {table.Name}: the table is on a side of a foreign key ({string.Join(", ", table.References.Concat(table.ReferencedBy))}); output into a table variable (Msg 332)";
                }

                if (table.HasCheckConstraints)
                {
                    yield return $"OUTPUT INTO {table.Name}: the table has CHECK constraints; output into a table variable";
                }
            }

            if (specification.OutputClause is not null)
            {
                foreach (var target in TargetTables(statement, specification))
                {
                    if (schema.Find(target) is { Triggers.Count: > 0 } triggered)
                    {
                        yield return $"OUTPUT without INTO on {target}, which has triggers ({string.Join(", ", triggered.Triggers)}) (Msg 334)";
                    }
                }
            }
        }
    }

    /// <summary>
    /// CREATE TRIGGER, SCHEMA, VIEW, PROCEDURE and FUNCTION each start a batch (Msg 111), in the batches the migrator sends:
    /// the script split on lines that hold only GO. Read from the tokens, so a script the parser cannot read is checked too.
    /// </summary>
    public static IEnumerable<string> OwnBatch(string script)
    {
        foreach (var batch in SqlServerStorageMigrator.Batches(script))
        {
            var tokens = new TSql160Parser(initialQuotedIdentifiers: true).GetTokenStream(new StringReader(batch), out _)
                .Where(t => t.TokenType is not (TSqlTokenType.WhiteSpace or TSqlTokenType.SingleLineComment or TSqlTokenType.MultilineComment or TSqlTokenType.EndOfFile))
                .ToList();
            for (var i = 1; i < tokens.Count; i++)
            {
                var next = i + 1 < tokens.Count && tokens[i + 1].TokenType == TSqlTokenType.Or ? i + 3 : i + 1;
                if (tokens[i].TokenType == TSqlTokenType.Create && next < tokens.Count
                    && tokens[next].TokenType is TSqlTokenType.Trigger or TSqlTokenType.Schema or TSqlTokenType.View or TSqlTokenType.Procedure or TSqlTokenType.Function)
                {
                    yield return $"line {tokens[i].Line}: CREATE {tokens[next].Text.ToUpperInvariant()} is not the first statement of its batch; put a line holding only GO before it";
                }
            }
        }
    }

    /// <summary>
    /// No index key holds a (max) column (Msg 1919), and no key can be longer than 900 bytes clustered or 1,700 bytes
    /// nonclustered (a longer row fails to insert, Msg 1946): checked on the largest value each key column can hold.
    /// </summary>
    public static IEnumerable<string> IndexKeys(SqlSchema schema)
    {
        foreach (var table in schema.Tables.Values)
        {
            foreach (var index in table.Indexes)
            {
                var bytes = 0;
                foreach (var name in index.Columns)
                {
                    if (!table.Columns.TryGetValue(name, out var column))
                    {
                        yield return $"{table.Name}.{index.Name}: no column {name}";
                        continue;
                    }

                    var size = MaxBytes(column, table);
                    if (size is null)
                    {
                        yield return $"{table.Name}.{index.Name}: cannot size {name}";
                    }
                    else if (size == int.MaxValue)
                    {
                        yield return $"{table.Name}.{index.Name}: {name} is a (max) type, which cannot be in an index key (Msg 1919); key on its hash";
                    }
                    else
                    {
                        bytes += size.Value;
                    }
                }

                var limit = index.Clustered ? 900 : 1700;
                if (bytes > limit)
                {
                    yield return $"{table.Name}.{index.Name}: key of up to {bytes} bytes, over the {limit} bytes of a {(index.Clustered ? "clustered" : "nonclustered")} index";
                }
            }
        }
    }

    /// <summary>
    /// Every TOP and OFFSET orders by a unique key of the table it reads first, so which rows are taken (and in which
    /// order a page shows them) does not depend on the plan.
    /// </summary>
    public static IEnumerable<string> UniqueTieBreak(TSqlFragment fragment, SqlSchema schema)
    {
        var queries = new Collector<QuerySpecification>();
        fragment.Accept(queries);
        foreach (var query in queries.Found.Where(q => q.TopRowFilter is not null || q.OffsetClause is not null))
        {
            var what = query.TopRowFilter is not null ? "TOP" : "OFFSET";
            var sources = Sources(query, schema);
            if (query.OrderByClause is null || sources.Count == 0)
            {
                yield return $"line {query.StartLine}: {what} without ORDER BY over a table";
                continue;
            }

            var (alias, driving) = sources[0];
            var ordered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var element in query.OrderByClause.OrderByElements)
            {
                if (element.Expression is ColumnReferenceExpression { MultiPartIdentifier.Identifiers: var parts }
                    && (parts.Count == 1 ? sources.Count == 1 || driving.Columns.ContainsKey(parts[0].Value) : string.Equals(parts[0].Value, alias, StringComparison.OrdinalIgnoreCase)))
                {
                    ordered.Add(parts[^1].Value);
                }
            }

            if (!driving.UniqueKeys.Any(key => key.All(ordered.Contains)))
            {
                yield return $"line {query.StartLine}: {what} ordered by ({string.Join(", ", ordered)}), which is not unique in {driving.Name}: add a unique tie-break";
            }
        }
    }

    /// <summary>
    /// A read that locks one table (UPDLOCK or XLOCK) locks every table it joins. Under read-committed snapshot an
    /// unlocked table is read as of the statement's start, so after waiting for the locked row the statement would combine
    /// the row's latest version with stale rows of the other table.
    /// </summary>
    public static IEnumerable<string> LockingReadsLockEveryTable(TSqlFragment fragment)
    {
        var queries = new Collector<QuerySpecification>();
        fragment.Accept(queries);
        foreach (var query in queries.Found)
        {
            var tables = JoinedTables(query.FromClause?.TableReferences ?? []).ToList();
            if (tables.Any(Locks) && tables.FirstOrDefault(t => !Locks(t)) is { } unlocked)
            {
                yield return $"line {query.StartLine}: {unlocked.SchemaObject.BaseIdentifier.Value} is read without UPDLOCK in a locking read";
            }
        }

        static bool Locks(NamedTableReference table) => table.TableHints.Any(h => h.HintKind is TableHintKind.UpdLock or TableHintKind.XLock);
    }

    /// <summary>
    /// A lease (claim_until) is never compared with or set to a parameter: a parameter carries the calling node's clock, and
    /// nodes' clocks differ. Its times are taken inside the statement, from the server's clock (SYSUTCDATETIME).
    /// </summary>
    public static IEnumerable<string> LeasesOnTheServerClock(TSqlFragment fragment)
    {
        var declared = new Collector<DeclareVariableElement>();
        fragment.Accept(declared);
        var local = declared.Found.Select(d => d.VariableName.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var comparisons = new Collector<BooleanComparisonExpression>();
        var assignments = new Collector<AssignmentSetClause>();
        fragment.Accept(comparisons);
        fragment.Accept(assignments);

        var pairs = comparisons.Found.SelectMany(c => new[] { (c.FirstExpression, c.SecondExpression), (c.SecondExpression, c.FirstExpression) })
            .Concat(assignments.Found.Where(a => a.Column is not null).Select(a => ((ScalarExpression)a.Column, a.NewValue)));
        foreach (var (column, value) in pairs)
        {
            if (column is ColumnReferenceExpression { MultiPartIdentifier.Identifiers: var parts } && parts[^1].Value.Equals("claim_until", StringComparison.OrdinalIgnoreCase))
            {
                var variables = new Collector<VariableReference>();
                value.Accept(variables);
                foreach (var parameter in variables.Found.Where(v => !local.Contains(v.Name)))
                {
                    yield return $"line {value.StartLine}: claim_until meets the parameter {parameter.Name}, a node's clock; take the time from SYSUTCDATETIME()";
                }
            }
        }
    }

    /// <summary>
    /// A write run outside a transaction (SqlServerConnectionFactory.RunAsync) is run again after a timeout or a dropped
    /// connection, when it may have committed; so every write in it must change nothing the second time: an INSERT only
    /// as INSERT ... SELECT ... WHERE NOT EXISTS (a row of the same table), an UPDATE that sets values not read from the
    /// row it updates, a DELETE. Anything else belongs in a transaction, whose commit is never rerun.
    /// </summary>
    public static IEnumerable<string> IdempotentWrites(TSqlFragment fragment)
    {
        var statements = new Collector<DataModificationStatement>();
        fragment.Accept(statements);
        foreach (var statement in statements.Found)
        {
            switch (statement)
            {
                case InsertStatement insert when !GuardedByNotExists(insert.InsertSpecification):
                    yield return $"line {insert.StartLine}: an INSERT that a rerun would repeat; insert ... select ... where not exists (its own row), or run it in a transaction";
                    break;
                case UpdateStatement update when update.UpdateSpecification.SetClauses.OfType<AssignmentSetClause>().FirstOrDefault(ReadsTheRow) is { } set:
                    yield return $"line {set.StartLine}: an UPDATE whose new value reads the row ({set.Column?.MultiPartIdentifier.Identifiers[^1].Value}), so a rerun changes it again; run it in a transaction";
                    break;
                case MergeStatement merge:
                    yield return $"line {merge.StartLine}: a MERGE outside a transaction";
                    break;
            }
        }

        static bool ReadsTheRow(AssignmentSetClause set)
        {
            var columns = new Collector<ColumnReferenceExpression>();
            set.NewValue?.Accept(columns);
            return columns.Found.Any(c => c.ColumnType == ColumnType.Regular);
        }
    }

    private static bool GuardedByNotExists(InsertSpecification insert)
    {
        if (insert.InsertSource is not SelectInsertSource { Select: QuerySpecification select } || insert.Target is not NamedTableReference target)
        {
            return false;
        }

        var negations = new Collector<BooleanNotExpression>();
        select.WhereClause?.Accept(negations);
        return negations.Found.Any(n => n.Expression is ExistsPredicate exists
            && exists.Subquery.QueryExpression is QuerySpecification probe
            && JoinedTables(probe.FromClause?.TableReferences ?? []).Any(t =>
                t.SchemaObject.BaseIdentifier.Value.Equals(target.SchemaObject.BaseIdentifier.Value, StringComparison.OrdinalIgnoreCase)));
    }

    private static DataModificationSpecification Specification(DataModificationStatement statement) => statement switch
    {
        InsertStatement s => s.InsertSpecification,
        UpdateStatement s => s.UpdateSpecification,
        DeleteStatement s => s.DeleteSpecification,
        MergeStatement s => s.MergeSpecification,
        _ => throw new NotSupportedException(statement.GetType().Name),
    };

    /// <summary>The tables a DML statement writes: its target, or the tables under the common table expression it names.</summary>
    private static IEnumerable<string> TargetTables(DataModificationStatement statement, DataModificationSpecification specification)
    {
        if (specification.Target is not NamedTableReference target)
        {
            return [];
        }

        var name = target.SchemaObject.BaseIdentifier.Value;
        var cte = statement.WithCtesAndXmlNamespaces?.CommonTableExpressions.FirstOrDefault(c => c.ExpressionName.Value.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (cte is null)
        {
            return [name];
        }

        var tables = new Collector<NamedTableReference>();
        cte.QueryExpression.Accept(tables);
        return tables.Found.Select(t => t.SchemaObject.BaseIdentifier.Value).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The named tables of a FROM clause and its joins, not those inside subqueries or derived tables.</summary>
    private static IEnumerable<NamedTableReference> JoinedTables(IEnumerable<TableReference> references)
    {
        foreach (var reference in references)
        {
            switch (reference)
            {
                case NamedTableReference named:
                    yield return named;
                    break;
                case JoinTableReference join:
                    foreach (var table in JoinedTables([join.FirstTableReference, join.SecondTableReference]))
                    {
                        yield return table;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The query's sources in FROM order, as (alias, table): a named table, or a derived table whose every branch reads
    /// one and the same table (a UNION ALL of look-ups in it).
    /// </summary>
    private static List<(string Alias, SqlTable Table)> Sources(QuerySpecification query, SqlSchema schema) =>
        (query.FromClause?.TableReferences ?? []).SelectMany(r => Flatten(r, schema)).ToList();

    private static IEnumerable<(string Alias, SqlTable Table)> Flatten(TableReference reference, SqlSchema schema)
    {
        switch (reference)
        {
            case NamedTableReference named when schema.Find(named.SchemaObject.BaseIdentifier.Value) is { } table:
                yield return (named.Alias?.Value ?? named.SchemaObject.BaseIdentifier.Value, table);
                break;
            case QueryDerivedTable derived:
                var tables = new Collector<NamedTableReference>();
                derived.QueryExpression.Accept(tables);
                var names = tables.Found.Select(t => t.SchemaObject.BaseIdentifier.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (names.Count == 1 && schema.Find(names[0]) is { } under)
                {
                    yield return (derived.Alias.Value, under);
                }

                break;
            case JoinTableReference join:
                foreach (var source in Flatten(join.FirstTableReference, schema).Concat(Flatten(join.SecondTableReference, schema)))
                {
                    yield return source;
                }

                break;
        }
    }

    /// <summary>The most bytes a value of the column can take in an index key; int.MaxValue for a (max) type, null when unknown.</summary>
    private static int? MaxBytes(ColumnDefinition column, SqlTable table) =>
        column.DataType is not null ? MaxBytes(column.DataType) : MaxBytes(column.ComputedColumnExpression, table);

    private static int? MaxBytes(ScalarExpression? expression, SqlTable table) => expression switch
    {
        CastCall cast => MaxBytes(cast.DataType),
        ConvertCall convert => MaxBytes(convert.DataType),
        ParenthesisExpression parenthesis => MaxBytes(parenthesis.Expression, table),
        BinaryExpression binary => Max(MaxBytes(binary.FirstExpression, table), MaxBytes(binary.SecondExpression, table)),
        ColumnReferenceExpression reference when table.Columns.TryGetValue(reference.MultiPartIdentifier.Identifiers[^1].Value, out var column) => MaxBytes(column, table),
        _ => null,
    };

    private static int? Max(int? a, int? b) => a is null || b is null ? null : Math.Max(a.Value, b.Value);

    private static int? MaxBytes(DataTypeReference type)
    {
        if (type is not SqlDataTypeReference sql)
        {
            return null;
        }

        if (sql.Parameters.Count == 1 && sql.Parameters[0] is MaxLiteral)
        {
            return int.MaxValue;
        }

        var length = sql.Parameters.Count >= 1 && int.TryParse(sql.Parameters[0].Value, out var n) ? n : 1;
        return sql.SqlDataTypeOption switch
        {
            SqlDataTypeOption.NVarChar or SqlDataTypeOption.NChar => 2 * length,
            SqlDataTypeOption.VarChar or SqlDataTypeOption.Char or SqlDataTypeOption.VarBinary or SqlDataTypeOption.Binary => length,
            SqlDataTypeOption.Bit or SqlDataTypeOption.TinyInt => 1,
            SqlDataTypeOption.SmallInt => 2,
            SqlDataTypeOption.Int or SqlDataTypeOption.Real or SqlDataTypeOption.Date => 4,
            SqlDataTypeOption.BigInt or SqlDataTypeOption.Float or SqlDataTypeOption.DateTime or SqlDataTypeOption.DateTime2 => 8,
            SqlDataTypeOption.UniqueIdentifier => 16,
            SqlDataTypeOption.Decimal or SqlDataTypeOption.Numeric => 17,
            _ => null,
        };
    }

    /// <summary>Every fragment of type <typeparamref name="T"/> in a tree, nested ones included.</summary>
    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T found)
            {
                Found.Add(found);
            }
        }
    }
}
