using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// Reads the SQL Server stores' C# source (embedded in this assembly) to find the statements that run without a
/// transaction: every <c>new CommandDefinition(SQL, ...)</c> given no <c>transaction</c> argument. SQL is a const of the
/// class, or a local whose initializer picks among its consts; anything else cannot be told and is reported.
/// </summary>
public static class StoreSource
{
    private const string Prefix = "SqlServerSource/";

    /// <summary>The embedded source files of ContentWatch.Storage/SqlServer, as (file name, text).</summary>
    public static IReadOnlyList<(string File, string Text)> Files()
    {
        var assembly = typeof(StoreSource).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[Prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>
    /// The statements (Class.Const) that <paramref name="source"/> runs outside a transaction, and the commands whose SQL
    /// could not be traced to a const (as "Class: expression").
    /// </summary>
    public static (IReadOnlyList<string> Statements, IReadOnlyList<string> Untraced) RunWithoutATransaction(string source)
    {
        var statements = new List<string>();
        var untraced = new List<string>();
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            var consts = type.Members.OfType<FieldDeclarationSyntax>()
                .Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword))
                .SelectMany(f => f.Declaration.Variables)
                .Select(v => v.Identifier.Text)
                .ToHashSet(StringComparer.Ordinal);
            var commands = type.DescendantNodes().OfType<ObjectCreationExpressionSyntax>()
                .Where(c => c.Type is IdentifierNameSyntax { Identifier.Text: "CommandDefinition" } && c.ArgumentList is { Arguments.Count: > 0 });
            foreach (var command in commands)
            {
                var arguments = command.ArgumentList!.Arguments;
                if (arguments.Any(IsTransaction))
                {
                    continue;
                }

                var names = Trace(arguments[0].Expression, consts, command);
                if (names.Count == 0)
                {
                    untraced.Add($"{type.Identifier.Text}: {arguments[0].Expression}");
                }

                statements.AddRange(names.Select(n => $"{type.Identifier.Text}.{n}"));
            }
        }

        return (statements.Distinct(StringComparer.Ordinal).ToList(), untraced);
    }

    private static bool IsTransaction(ArgumentSyntax argument) =>
        argument.NameColon?.Name.Identifier.Text == "transaction"
        || (argument.NameColon is null && argument.Expression is IdentifierNameSyntax { Identifier.Text: "transaction" });

    /// <summary>The consts an expression names: itself, or the initializer of the local it names (a switch among consts).</summary>
    private static List<string> Trace(ExpressionSyntax expression, HashSet<string> consts, SyntaxNode at)
    {
        if (expression is not IdentifierNameSyntax { Identifier.Text: var name })
        {
            return [];
        }

        if (consts.Contains(name))
        {
            return [name];
        }

        var method = at.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax);
        var local = method?.DescendantNodes().OfType<VariableDeclaratorSyntax>().FirstOrDefault(v => v.Identifier.Text == name);
        return local?.Initializer?.Value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Select(i => i.Identifier.Text).Where(consts.Contains).Distinct(StringComparer.Ordinal).ToList() ?? [];
    }
}
