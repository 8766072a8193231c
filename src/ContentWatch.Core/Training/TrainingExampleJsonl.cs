using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace ContentWatch.Core.Training;

/// <summary>
/// Examples as JSON Lines, one object a line, in the corpus's shape so the file can go straight into training:
/// the corpus fields <c>id</c> (<c>desk:</c> + decision id), <c>text</c>, <c>title</c> (when the item has one),
/// <c>label</c>, <c>lang</c>, <c>kind</c> and <c>writer</c> (always <see cref="Writer"/>), then the provenance
/// <c>decisionId</c>, <c>officer</c>, <c>decidedAt</c>, <c>itemId</c>, <c>platform</c>, <c>language</c> and, for a
/// cluster decision, <c>clusterId</c>. <c>officer</c> is a member of staff's account: personal data, which is why the
/// export is for admins only.
/// </summary>
public static class TrainingExampleJsonl
{
    /// <summary>The corpus writer of every desk example (leave-one-writer-out holds the desk out as one writer).</summary>
    public const string Writer = "desk";

    /// <summary>The prefix of an example's corpus <c>id</c>.</summary>
    public const string IdPrefix = "desk:";

    public const string ContentType = "application/x-ndjson";

    /// <summary>
    /// Escapes what could be read as markup or a line break (<c>&lt; &gt; &amp; ' +</c>, controls, U+2028/2029) and
    /// keeps every script's letters readable.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Writes every example, one line each, flushing about every 64 KB; returns how many lines were written.</summary>
    public static async Task<long> WriteAsync(IAsyncEnumerable<TrainingExample> examples, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new MemoryStream();
        long count = 0;
        await using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            await foreach (var example in examples.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Write(writer, example);
                writer.Flush();
                writer.Reset();
                buffer.WriteByte((byte)'\n');
                count++;
                if (buffer.Length >= 1 << 16)
                {
                    await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    buffer.SetLength(0);
                }
            }
        }

        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static void Write(Utf8JsonWriter writer, TrainingExample e)
    {
        writer.WriteStartObject();
        writer.WriteString("id", IdPrefix + e.DecisionId);
        writer.WriteString("text", e.Text);
        if (!string.IsNullOrWhiteSpace(e.Title))
        {
            writer.WriteString("title", e.Title);
        }

        writer.WriteString("label", e.Label);
        writer.WriteString("lang", e.Language);
        writer.WriteString("kind", e.Kind);
        writer.WriteString("writer", Writer);
        writer.WriteString("decisionId", e.DecisionId);
        writer.WriteString("officer", e.Officer);
        writer.WriteString("decidedAt", e.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("itemId", e.ItemId);
        writer.WriteString("platform", e.Platform);
        writer.WriteString("language", e.Language);
        if (e.ClusterId is not null)
        {
            writer.WriteString("clusterId", e.ClusterId);
        }

        writer.WriteEndObject();
    }
}
