using System.Text;
using ContentWatch.Core.Models;

namespace ContentWatch.Classifier.Tests;

[Collection(SampleModelFixture.Collection)]
public sealed class LinearModelFormatTests(SampleModelFixture sample)
{
    [Fact]
    public void WriteThenRead_GivesTheSameModel()
    {
        var model = LinearTextClassifier.Load(sample.ModelPath).Model;
        using var stream = new MemoryStream();
        LinearModelFormat.Write(model, stream);
        stream.Position = 0;
        var read = LinearModelFormat.Read(stream);

        Assert.Equal(model.ClassLabels, read.ClassLabels);
        Assert.Equal(model.Vocabulary.Keys, read.Vocabulary.Keys);
        Assert.Equal(model.Vocabulary.Idf, read.Vocabulary.Idf);
        Assert.True(model.BiasValues.SequenceEqual(read.BiasValues));
        for (var i = 0; i < model.Vocabulary.Count; i++)
        {
            Assert.True(model.Row(i).SequenceEqual(read.Row(i)));
        }
    }

    [Fact]
    public void Read_RefusesTheHashedFormat_WithAClearMessage()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("CWLINEAR2");
            writer.Write(786_432);
        }

        stream.Position = 0;
        var e = Assert.Throws<UnsupportedModelFormatException>(() => LinearModelFormat.Read(stream));
        Assert.Contains("retrain", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new ulong[] { 5, 3 }, 1f)]       // keys out of order
    [InlineData(new ulong[] { 3, 3 }, 1f)]       // a key twice
    [InlineData(new ulong[] { 3, 5 }, -1f)]      // a negative idf
    [InlineData(new ulong[] { 3, 5 }, float.NaN)]
    public void Read_RefusesInvalidFeatures(ulong[] keys, float idf)
    {
        var e = Assert.Throws<InvalidDataException>(() => LinearModelFormat.Read(File(keys, idf, count: keys.Length)));
        Assert.Contains("features are invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAnImpossibleFeatureCount_AndATruncatedFile()
    {
        Assert.Throws<InvalidDataException>(() => LinearModelFormat.Read(File([3, 5], 1f, count: -1)));
        Assert.Throws<InvalidDataException>(() => LinearModelFormat.Read(File([3, 5], 1f, count: int.MaxValue)));
        Assert.Throws<EndOfStreamException>(() => LinearModelFormat.Read(File([3, 5], 1f, count: 3)));
    }

    /// <summary>A two-class model file with <paramref name="keys"/>, the second feature's idf <paramref name="idf"/>, claiming <paramref name="count"/> features.</summary>
    private static MemoryStream File(ulong[] keys, float idf, int count)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("CWLINEAR3");
            writer.Write(2);
            writer.Write("benign");
            writer.Write("harmful");
            writer.Write(0.1f);
            writer.Write(-0.1f);
            writer.Write(count);
            for (var i = 0; i < keys.Length; i++)
            {
                writer.Write(keys[i]);
                writer.Write(0.5f);
                writer.Write(-0.5f);
                writer.Write(i == 0 ? 1f : idf);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
