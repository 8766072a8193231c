using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// What the SQL Server rules need to know of a schema, read from its CREATE TABLE, ALTER TABLE ... ADD, CREATE INDEX and
/// CREATE TRIGGER statements (and DECLARE @t TABLE in a query): columns and their types, keys and indexes, foreign
/// keys, CHECK constraints and triggers.
/// </summary>
public sealed class SqlSchema
{
    public Dictionary<string, SqlTable> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static SqlSchema From(IEnumerable<TSqlFragment> fragments)
    {
        var schema = new SqlSchema();
        var visitor = new Reader(schema);
        foreach (var fragment in fragments)
        {
            fragment.Accept(visitor);
        }

        return schema;
    }

    public SqlTable? Find(string name) => Tables.GetValueOrDefault(name);

    private SqlTable Table(string name) => Tables.TryGetValue(name, out var table) ? table : Tables[name] = new SqlTable(name);

    private sealed class Reader(SqlSchema schema) : TSqlFragmentVisitor
    {
        public override void Visit(CreateTableStatement node) => Add(schema.Table(node.SchemaObjectName.BaseIdentifier.Value), node.Definition);

        public override void Visit(AlterTableAddTableElementStatement node) => Add(schema.Table(node.SchemaObjectName.BaseIdentifier.Value), node.Definition);

        public override void Visit(DeclareTableVariableBody node) => Add(schema.Table(node.VariableName.Value), node.Definition);

        public override void Visit(CreateIndexStatement node) =>
            schema.Table(node.OnName.BaseIdentifier.Value).Indexes.Add(new SqlIndex(
                node.Name.Value,
                node.Unique && node.FilterPredicate is null,
                node.Clustered == true,
                node.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).ToList()));

        public override void Visit(CreateTriggerStatement node) =>
            schema.Table(node.TriggerObject.Name.BaseIdentifier.Value).Triggers.Add(node.Name.BaseIdentifier.Value);

        private void Add(SqlTable table, TableDefinition definition)
        {
            foreach (var column in definition.ColumnDefinitions)
            {
                table.Columns[column.ColumnIdentifier.Value] = column;
                foreach (var constraint in column.Constraints)
                {
                    AddConstraint(table, constraint, [column.ColumnIdentifier.Value]);
                }
            }

            foreach (var constraint in definition.TableConstraints)
            {
                AddConstraint(table, constraint, constraint switch
                {
                    UniqueConstraintDefinition unique => unique.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).ToList(),
                    _ => [],
                });
            }
        }

        private void AddConstraint(SqlTable table, ConstraintDefinition constraint, IReadOnlyList<string> columns)
        {
            switch (constraint)
            {
                case UniqueConstraintDefinition unique:
                    // a primary key is clustered unless it says otherwise; a unique constraint is not, unless it says so
                    var clustered = unique.Clustered ?? unique.IsPrimaryKey;
                    table.Indexes.Add(new SqlIndex(constraint.ConstraintIdentifier?.Value ?? "(unnamed key)", true, clustered, columns));
                    break;
                case ForeignKeyConstraintDefinition foreignKey:
                    var referenced = foreignKey.ReferenceTableName.BaseIdentifier.Value;
                    table.References.Add(referenced);
                    schema.Table(referenced).ReferencedBy.Add(table.Name);
                    break;
                case CheckConstraintDefinition:
                    table.HasCheckConstraints = true;
                    break;
            }
        }
    }
}

public sealed class SqlTable(string name)
{
    public string Name { get; } = name;

    public Dictionary<string, ColumnDefinition> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SqlIndex> Indexes { get; } = [];

    public List<string> Triggers { get; } = [];

    /// <summary>Tables this table's foreign keys refer to.</summary>
    public List<string> References { get; } = [];

    /// <summary>Tables whose foreign keys refer to this table.</summary>
    public List<string> ReferencedBy { get; } = [];

    public bool HasCheckConstraints { get; set; }

    /// <summary>Column sets no two rows share: unique keys and unfiltered unique indexes, and each IDENTITY column (never reseeded, never inserted into).</summary>
    public IEnumerable<IReadOnlyList<string>> UniqueKeys =>
        Indexes.Where(i => i.Unique).Select(i => i.Columns)
            .Concat(Columns.Values.Where(c => c.IdentityOptions is not null).Select(c => (IReadOnlyList<string>)[c.ColumnIdentifier.Value]));
}

/// <param name="Unique">A primary key, a unique constraint, or a unique index without a filter.</param>
public sealed record SqlIndex(string Name, bool Unique, bool Clustered, IReadOnlyList<string> Columns);
